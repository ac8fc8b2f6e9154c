package cli

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/route"
	"github.com/kickoffhq/kickoff/internal/slot"
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

// releaseRoutes applies a slot's routes after a deploy, the release path's slot.Router:
// moved apps to the ports given, the others to where their containers run (live).
type releaseRoutes struct {
	cfg      *config.Config
	stateDir string
	live     func(ctx context.Context, slot, app string) []int
}

func (r releaseRoutes) ApplySlot(ctx context.Context, slot string, moved map[string]int) error {
	_, err := route.ApplySlot(ctx, r.cfg, r.stateDir, slot, func(s, app string) []int {
		if p, ok := moved[app]; ok && s == slot {
			return []int{p}
		}
		if r.live == nil {
			return nil
		}
		return r.live(ctx, s, app)
	})
	return err
}

// livePorts gives the routes of a slot's apps the host ports their running containers
// publish (routing.switch side-by-side moves them between two); nil without the switch,
// so nothing asks the engine.
func livePorts(ctx context.Context, cfg *config.Config, repo *gitrepo.Repo) func(slot, app string) []int {
	if !cfg.SideBySide() {
		return nil
	}
	svc := &slot.Service{Cfg: cfg, Repo: repo,
		Engine: func(name string) (*compose.Engine, error) { return compose.NewEngine(cfg.Hosts[name]) }}
	return func(s, app string) []int { return svc.LivePorts(ctx, s, app) }
}
