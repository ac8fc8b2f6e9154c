package cli

import (
	"context"
	"strings"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/route"
	"github.com/kickoffhq/kickoff/internal/slot"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// releaseVersions is the version store as the release path's slot.Versioner. The release
// candidate's tag goes to every repository of the platform the release shipped from
// (platformVersionStore, opened when the deploy is done).
type releaseVersions struct {
	s    *platver.Store
	f    *Factory
	cfg  *config.Config
	plat *platformOnce // nil: this repository alone
}

func (v releaseVersions) EnsureVersion(ctx context.Context, kickoff string, dryRun bool) (string, error) {
	a, err := v.s.Assign(ctx, kickoff, platver.AssignOptions{DryRun: dryRun})
	if err != nil {
		return "", err
	}
	return a.Version.String(), nil
}

// TagRC tags the release's build as the kickoff's next release candidate, or finds the
// candidate that is already this build: each repository's commit (this repository's
// kickoff head, each app's kickoff commit in the repository it is built from, the head of
// every other repository of the platform with the kickoff) and every app's image.
func (v releaseVersions) TagRC(ctx context.Context, kickoff, _ string, p *slot.Plan) (string, error) {
	store := v.s
	if v.plat != nil && len(v.cfg.Repos) > 0 {
		var err error
		if store, err = v.plat.store(ctx); err != nil {
			return "", err
		}
	}
	b := platver.Build{Commits: map[string]string{}}
	if len(store.Members) > 0 {
		heads, _, err := store.Heads(kickoff)
		if err != nil {
			return "", err
		}
		b.Commits = heads.Commits
		for _, a := range p.Apps {
			if a.Source == slot.SourceKickoff && a.To.Commit != "" {
				repo := v.cfg.Apps[a.Name].Repo
				if repo == "" {
					repo = store.Here().Name
				}
				b.Commits[repo] = a.To.Commit
			}
		}
	} else if p.Commit != "" {
		b.Commits[store.Here().Name] = p.Commit
	}
	if len(b.Commits) == 0 {
		return "", nil // nothing of the kickoff shipped here: no candidate
	}
	b.Images = []string{}
	for _, a := range p.Apps {
		b.Images = append(b.Images, a.Name+"="+a.To.Image+"@"+a.To.Digest)
	}
	t, err := store.TagBuildCandidate(ctx, kickoff, b)
	if err != nil {
		return "", err
	}
	if v.f != nil && t.Skipped != nil {
		v.f.IO.Eprintf("%s: not in %s, which have no branch %s\n", t.Tag, strings.Join(t.Skipped, ", "), kickoff)
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
	}, awsLog)
	return err
}

// livePorts gives the routes of a slot's apps the host ports their running containers
// publish (routing.switch side-by-side moves them between two); nil without the switch,
// so nothing asks the engine.
func livePorts(ctx context.Context, cfg *config.Config, repo *gitrepo.Repo) func(slot, app string) []int {
	if !cfg.SideBySide() {
		return nil
	}
	svc := &slot.Service{Cfg: cfg, Repo: repo, Engine: slotEngine(cfg)}
	return func(s, app string) []int { return svc.LivePorts(ctx, s, app) }
}

// slotEngine is the engine of each slot: on its host (hosts:), Compose or swarm (engines:).
func slotEngine(cfg *config.Config) func(slot string) (*compose.Engine, error) {
	return func(name string) (*compose.Engine, error) {
		return compose.NewEngine(cfg.Hosts[name], cfg.EngineOf(name) == config.EngineSwarm)
	}
}
