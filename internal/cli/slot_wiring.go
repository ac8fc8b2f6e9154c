package cli

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/route"
	"github.com/kickoffhq/kickoff/internal/slot"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// The release path calls platform versions and routing through slot's small interfaces;
// these adapters connect them to the version store and route.ApplySlot.
func init() {
	slotVersioner = func(f *Factory) (slot.Versioner, error) {
		s, err := versionStore(f)
		if err != nil {
			return nil, err
		}
		return releaseVersions{s}, nil
	}
	dashboardHealth = func(f *Factory) func(ctx context.Context, name string) map[string]ledger.Health {
		return func(ctx context.Context, name string) map[string]ledger.Health {
			svc, err := slotService(f)
			if err != nil {
				return nil
			}
			h, _ := svc.Health(ctx, name)
			return h
		}
	}
	slotRouter = func(f *Factory) (slot.Router, error) {
		repo, cfg, err := f.RepoConfig()
		if err != nil {
			return nil, err
		}
		return releaseRoutes{apply: func(ctx context.Context, name string) error {
			_, err := route.ApplySlot(ctx, cfg, repo.StateDir(cfg.StateDir), name)
			return err
		}}, nil
	}
}

type releaseVersions struct{ s *platver.Store }

func (v releaseVersions) EnsureVersion(ctx context.Context, kickoff string, dryRun bool) (string, error) {
	a, err := v.s.Assign(ctx, kickoff, platver.AssignOptions{DryRun: dryRun})
	if err != nil {
		return "", versionError(err)
	}
	return a.Version.String(), nil
}

func (v releaseVersions) TagRC(ctx context.Context, kickoff, _, commit string) (string, error) {
	t, err := v.s.TagCandidate(ctx, kickoff, commit)
	if err != nil {
		return "", versionError(err)
	}
	return t.Tag, nil
}

type releaseRoutes struct {
	apply func(ctx context.Context, slot string) error
}

func (r releaseRoutes) ApplySlot(ctx context.Context, slot string) error { return r.apply(ctx, slot) }
