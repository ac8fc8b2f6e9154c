package cli

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/route"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// releaseVersions is the version store as the release path's slot.Versioner.
type releaseVersions struct{ s *platver.Store }

func (v releaseVersions) EnsureVersion(ctx context.Context, kickoff string, dryRun bool) (string, error) {
	a, err := v.s.Assign(ctx, kickoff, platver.AssignOptions{DryRun: dryRun})
	if err != nil {
		return "", err
	}
	return a.Version.String(), nil
}

func (v releaseVersions) TagRC(ctx context.Context, kickoff, _, commit string) (string, error) {
	t, err := v.s.TagCandidate(ctx, kickoff, commit)
	if err != nil {
		return "", err
	}
	return t.Tag, nil
}

// releaseRoutes applies a slot's routes after a deploy, the release path's slot.Router.
type releaseRoutes struct {
	cfg      *config.Config
	stateDir string
}

func (r releaseRoutes) ApplySlot(ctx context.Context, slot string) error {
	_, err := route.ApplySlot(ctx, r.cfg, r.stateDir, slot)
	return err
}
