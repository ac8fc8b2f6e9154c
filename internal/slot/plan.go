package slot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry"
)

// Sources of an app's image in a plan.
const (
	SourceKickoff = "kickoff" // the kickoff branch of the app's repository
	SourcePinned  = "pinned"  // --app APP=REF
	SourceKept    = "kept"    // no kickoff branch in that repository: what the slot runs stays
	SourceMain    = "main"    // no kickoff branch and nothing running: the main branch
)

// ReleaseOptions are what `kickoff release` asks for.
type ReleaseOptions struct {
	Slot    string
	Kickoff string
	Pins    map[string]string // app -> kickoff, branch, tag or commit
	DryRun  bool
	NoWait  bool
	Wait    time.Duration // how long to wait for another deployer's lock; 0: DefaultLockWait
	Force   bool          // release into a slot claimed for another kickoff
	// Offline resolves images by tag without asking the registry (`slot config --offline`);
	// such a plan is only shown, never deployed.
	Offline bool
}

// AppPlan is one app's move: from what the slot runs to the image the release brings.
type AppPlan struct {
	Name    string      `json:"name"`
	From    *ledger.App `json:"from,omitempty"` // nil when the slot does not run it
	To      ledger.App  `json:"to"`
	Source  string      `json:"source"`
	Changed bool        `json:"changed"`
}

// Plan is a release computed before anything changes: `--dry-run` prints it.
type Plan struct {
	Slot    string            `json:"slot"`
	Project string            `json:"project"`
	Kickoff string            `json:"kickoff"`
	Version string            `json:"version,omitempty"`
	Commit  string            `json:"commit,omitempty"` // the kickoff head in this repository, for the rc tag
	Apps    []AppPlan         `json:"apps"`
	Env     map[string]string `json:"env"`
	// Notes say what kickoff changed in the team's compose file to run it in this slot.
	Notes []compose.Note `json:"notes,omitempty"`
	// Fingerprint is a keyed hash (ledger.Hasher) of the model as any clone or machine
	// renders it (compose.Model.Canonical), set when the slot's current deploy has one to
	// compare: a dry run asks for no key.
	Fingerprint string         `json:"fingerprint,omitempty"`
	From        *ledger.Record `json:"-"`
	Compose     []byte         `json:"-"`
	// Model is the slot's project, for `slot config`; Services are its services that are
	// not apps, which must run too.
	Model    *compose.Model `json:"-"`
	Services []string       `json:"-"`
}

// NoOp reports whether the slot already runs exactly this model: same images by digest,
// environment, ports, volumes and commands, wherever it was rendered.
func (p *Plan) NoOp() bool {
	return p.From != nil && p.From.Fingerprint != "" && p.From.Fingerprint == p.Fingerprint
}

// Changed lists the apps whose image changes.
func (p *Plan) Changed() []string {
	var out []string
	for _, a := range p.Apps {
		if a.Changed {
			out = append(out, a.Name)
		}
	}
	return out
}

// MakePlan resolves every app's image for the release and checks that each exists in the
// registry, without touching the slot. cur is the slot's current deploy (nil when empty), as
// the caller read it from the ledger.
func (s *Service) MakePlan(ctx context.Context, o ReleaseOptions, version string, cur *ledger.Record) (*Plan, error) {
	if err := s.checkRelease(o); err != nil {
		return nil, err
	}
	p := &Plan{Slot: o.Slot, Project: s.Project(o.Slot), Kickoff: o.Kickoff, Version: version, From: cur}
	running := map[string]ledger.App{}
	if cur != nil {
		for _, a := range cur.Apps {
			running[a.Name] = a
		}
	}
	refsByRepo := map[string]Refs{}
	refsOf := func(url string) (Refs, error) {
		if r, ok := refsByRepo[url]; ok {
			return r, nil
		}
		var r Refs
		var err error
		switch {
		case url == "":
			if s.Repo == nil {
				return r, errors.New("not in a git repository")
			}
			r, err = LocalRefs(s.Repo, s.Cfg.Remote)
		case s.RemoteRefs != nil:
			r, err = s.RemoteRefs(ctx, url)
		default:
			r, err = RemoteRefs(ctx, s.Repo, url)
		}
		if err == nil {
			refsByRepo[url] = r
		}
		return r, err
	}
	local, err := refsOf("")
	if err != nil {
		return nil, err
	}
	if head, ok := local.Branches[o.Kickoff]; ok {
		p.Commit = head
	}
	var missing []error
	for _, name := range s.Cfg.AppNames() {
		app := s.Cfg.Apps[name]
		s.progress(name, "resolving")
		refs, err := refsOf(s.Cfg.AppRepoURL(name))
		if err != nil {
			return nil, fmt.Errorf("app %s: %w", name, err)
		}
		ap := AppPlan{Name: name}
		if r, ok := running[name]; ok {
			ap.From = &r
		}
		var res resolved
		var found bool
		if pin, ok := o.Pins[name]; ok {
			res, found, err = refs.Resolve(pin)
			if err != nil {
				return nil, fmt.Errorf("--app %s=%s: %w", name, pin, err)
			}
			if !found {
				return nil, fmt.Errorf("--app %s=%s: no branch, tag or commit %q in %s", name, pin, pin, refs.Where)
			}
			ap.Source = SourcePinned
		} else if c, ok := refs.Branches[o.Kickoff]; ok {
			res, found, ap.Source = resolved{Ref: o.Kickoff, Branch: o.Kickoff, Commit: c}, true, SourceKickoff
		} else if ap.From != nil {
			ap.To, ap.Source = *ap.From, SourceKept
			ap.To.Changed = false
		} else if c, ok := refs.Branches[s.Cfg.Main]; ok {
			res, found, ap.Source = resolved{Ref: s.Cfg.Main, Branch: s.Cfg.Main, Commit: c}, true, SourceMain
		} else {
			return nil, fmt.Errorf("app %s: %s has neither branch %s nor %s", name, refs.Where, o.Kickoff, s.Cfg.Main)
		}
		if found {
			tag, err := ImageTag(s.Cfg.ImageTag, name, res.Branch, res.Commit)
			if err != nil {
				return nil, err
			}
			kick := res.Ref
			if ap.Source == SourceKickoff {
				kick = o.Kickoff
			}
			ap.To = ledger.App{Name: name, Kickoff: kick, Ref: res.Branch, Commit: res.Commit, Image: app.Image + ":" + tag}
			if o.Offline {
				ap.Changed = ap.From == nil || ap.From.Image != ap.To.Image
				ap.To.Changed = ap.Changed
				p.Apps = append(p.Apps, ap)
				continue
			}
			s.progress(name, "checking "+ap.To.Image)
			d, err := s.Images.Digest(ctx, app.Image, tag)
			if err != nil {
				if isNotBuilt(err) {
					missing = append(missing, err)
					continue
				}
				return nil, fmt.Errorf("app %s: %w", name, err)
			}
			ap.To.Digest = d
		}
		ap.Changed = ap.From == nil || ap.From.Digest != ap.To.Digest
		ap.To.Changed = ap.Changed
		p.Apps = append(p.Apps, ap)
	}
	if p.Commit == "" && !slices.ContainsFunc(p.Apps, func(a AppPlan) bool { return a.Source == SourceKickoff }) && len(missing) == 0 {
		return nil, fmt.Errorf("no branch %s in this repository (nor remote %s) or in any app's repository: push it first, or check the name with `kickoff list`", o.Kickoff, s.Cfg.Remote)
	}
	if len(missing) > 0 {
		return nil, &NotBuiltError{Slot: o.Slot, Errs: missing}
	}
	p.Env = deployEnv(o.Slot, o.Kickoff, version)
	if err := s.render(ctx, p); err != nil {
		return nil, err
	}
	if cur != nil && cur.Fingerprint != "" { // else nothing to compare: no key asked for
		if p.Fingerprint, err = s.fingerprint(ctx, p.Model.Canonical(p.Compose)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkRelease rejects options no plan can satisfy, before anything is asked of anyone.
func (s *Service) checkRelease(o ReleaseOptions) error {
	if err := ledger.CheckSlot(s.Cfg.Slots, o.Slot); err != nil {
		return err
	}
	if len(s.Cfg.Apps) == 0 {
		return errors.New("no apps configured: add apps: to .kickoff.yaml (image, port, health per app)")
	}
	for app := range o.Pins {
		if _, ok := s.Cfg.Apps[app]; !ok {
			return fmt.Errorf("--app %s: no such app; configured apps are %s", app, strings.Join(s.Cfg.AppNames(), ", "))
		}
	}
	if s.Cfg.Registry == "" {
		return errors.New("no registry configured: set registry: in .kickoff.yaml (e.g. 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com)")
	}
	return nil
}

// NotBuiltError lists images a release needs that the registry does not have.
type NotBuiltError struct {
	Slot string
	Errs []error // each a *registry.NotBuiltError
}

func (e *NotBuiltError) Error() string {
	msgs := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		msgs[i] = err.Error()
	}
	sort.Strings(msgs)
	return fmt.Sprintf("nothing changed on %s: %s", e.Slot, strings.Join(msgs, "; "))
}

func (e *NotBuiltError) Unwrap() []error { return e.Errs }

func isNotBuilt(err error) bool {
	var nb *registry.NotBuiltError
	return errors.As(err, &nb)
}

// render builds the slot's compose model from the apps' images (by digest; by tag when the
// plan has no digest, offline) and env, and the team's compose file with its settings.
func (s *Service) render(ctx context.Context, p *Plan) error {
	spec := compose.Spec{
		Project: p.Project, Prefix: ProjectPrefix(s.Cfg, s.Repo), Slot: p.Slot, Env: p.Env, Base: s.Cfg.Compose,
		EnvFiles: s.Cfg.ComposeEnvFiles, Profiles: s.Cfg.ComposeProfiles, Exclude: s.Cfg.Exclude,
		Shared: s.Cfg.Shared, Images: map[string]string{}, Swarm: s.Cfg.EngineOf(p.Slot) == config.EngineSwarm,
	}
	for svc, img := range s.Cfg.Images {
		// {registry}/ is the configured registry: the team's mirror of its infra images.
		spec.Images[svc] = strings.Replace(img, "{registry}", s.Cfg.Registry, 1)
	}
	spec.InfraPortFirst, spec.InfraPortCount, _ = s.Cfg.InfraPorts(p.Slot)
	if s.Repo != nil {
		spec.WorkDir = s.Repo.Root
	}
	for _, a := range p.Apps {
		cfg := s.Cfg.Apps[a.Name]
		hp, _ := s.Cfg.HostPort(p.Slot, a.Name)
		alt, _ := s.Cfg.AltHostPort(p.Slot, a.Name)
		ref := s.Cfg.Registry + "/" + a.To.Image
		if a.To.Digest != "" {
			ref = s.Cfg.Registry + "/" + repoOf(a.To.Image) + "@" + a.To.Digest
		}
		spec.Apps = append(spec.Apps, compose.App{Name: a.Name, Image: ref, Port: cfg.Port, HostPort: hp, AltHostPort: alt, Env: cfg.Env, KeepMounts: cfg.KeepMounts})
	}
	m, err := compose.Build(ctx, spec)
	if err != nil {
		return err
	}
	b, err := m.Marshal(m.Project)
	if err != nil {
		return err
	}
	p.Model, p.Compose, p.Notes = m, b, m.Notes
	for _, name := range compose.ServiceNames(m.Project) {
		if _, app := s.Cfg.Apps[name]; !app {
			p.Services = append(p.Services, name)
		}
	}
	return nil
}

// repoOf strips the tag of repo:tag.
func repoOf(image string) string {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i]
	}
	return image
}

// Preview is the plan a release of o.Kickoff to o.Slot would make, with the version it would
// get, taking no lock and changing nothing (`kickoff slot config`). With o.Offline no
// registry is asked and images are referenced by tag.
func (s *Service) Preview(ctx context.Context, o ReleaseOptions) (*Plan, error) {
	if err := s.checkRelease(o); err != nil {
		return nil, err
	}
	st, err := s.read(ctx, o.Slot)
	if err != nil {
		return nil, err
	}
	version := ""
	if s.Versions != nil {
		if version, err = s.Versions.EnsureVersion(ctx, o.Kickoff, true); err != nil {
			return nil, fmt.Errorf("platform version of %s: %w", o.Kickoff, err)
		}
	}
	return s.MakePlan(ctx, o, version, st.Current)
}
