package slot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"go.yaml.in/yaml/v3"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// A ledger record is data anyone with write access to the ledger (an S3 put) can forge, so a
// restore never runs anything it holds: it renders the slot again from the team's compose
// file as committed at the record's commit, the configured apps and the record's image
// digests, after checking each of those.

var (
	digestRe = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	// refRe is what a kickoff name, ref or version handed to containers as KICKOFF_* may
	// be, 200 characters at most (see validRef).
	refRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/+-]*$`)
)

// RecordError is a ledger record a restore refuses: it does not verify, so nothing changed.
type RecordError struct {
	ID       string
	Slot     string
	Problems []string
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("deploy %s on %s does not verify: %s; nothing changed (see `kickoff history --slot %s`: roll back to another deploy with --to, or release again)",
		e.ID, e.Slot, strings.Join(e.Problems, "; "), e.Slot)
}

// deployEnv is the environment kickoff gives every app of a deploy.
func deployEnv(slot, kickoff, version string) map[string]string {
	return map[string]string{
		"KICKOFF_SLOT":       slot,
		"KICKOFF_KICKOFF":    kickoff,
		"KICKOFF_VERSION":    version,
		"SENTRY_ENVIRONMENT": slot,
	}
}

// rendered is a slot's model rendered again for a recorded deploy.
type rendered struct {
	Model     []byte
	Canonical []byte    // Model as any clone renders it (compose.Model.Canonical): what seal hashes
	Apps      []AppPlan // the recorded apps, each image in the configured repository
	Commit    string    // the commit the compose file was read at; empty without one
}

// verifyRecord checks what a restore takes from r: its slot, its apps (configured, each
// once, image in the app's configured repository, digest well formed), the names it hands
// to containers, and its commit's form (whether the repository holds it is checked when the
// file is read).
func (s *Service) verifyRecord(slot string, r *ledger.Record) error {
	var bad []string
	if r.Slot != slot {
		bad = append(bad, fmt.Sprintf("it is a record of slot %q", r.Slot))
	}
	if err := ledger.CheckSlot(s.Cfg.Slots, slot); err != nil {
		bad = append(bad, err.Error())
	}
	if len(r.Apps) == 0 {
		bad = append(bad, "it names no app")
	}
	seen := map[string]bool{}
	for _, a := range r.Apps {
		app, ok := s.Cfg.Apps[a.Name]
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("app %q is not configured (apps: %s)", a.Name, strings.Join(s.Cfg.AppNames(), ", ")))
			continue
		case seen[a.Name]:
			bad = append(bad, fmt.Sprintf("app %s appears twice", a.Name))
		}
		seen[a.Name] = true
		if !digestRe.MatchString(a.Digest) {
			bad = append(bad, fmt.Sprintf("app %s: digest %q is not sha256: and 64 hex digits", a.Name, a.Digest))
		}
		if repoOf(a.Image) != app.Image {
			bad = append(bad, fmt.Sprintf("app %s: image %q is not of the configured repository %s", a.Name, a.Image, app.Image))
		}
	}
	if r.Kickoff != "" && !validRef(r.Kickoff) {
		bad = append(bad, fmt.Sprintf("kickoff %q is not a branch or ref name", r.Kickoff))
	}
	if r.Version != "" && !validRef(r.Version) {
		bad = append(bad, fmt.Sprintf("version %q is not a version", r.Version))
	}
	if r.Commit != "" && (len(r.Commit) != 40 || !hexRe.MatchString(r.Commit)) {
		bad = append(bad, fmt.Sprintf("commit %q is not a full commit id", r.Commit))
	}
	if len(bad) > 0 {
		return &RecordError{ID: r.ID, Slot: slot, Problems: bad}
	}
	return nil
}

// renderRecord renders the slot as deploy r left it: r verified, the team's compose file
// read from git at r's commit, rendered by the same function a release uses.
func (s *Service) renderRecord(ctx context.Context, slot string, r *ledger.Record) (*rendered, error) {
	if err := s.verifyRecord(slot, r); err != nil {
		return nil, err
	}
	out := &rendered{Commit: r.Commit}
	for _, a := range r.Apps {
		out.Apps = append(out.Apps, AppPlan{Name: a.Name, To: a})
	}
	env := deployEnv(slot, r.Kickoff, r.Version)
	src, err := s.composeSource()
	if err != nil {
		return nil, err
	}
	switch {
	case src.rel == "": // no team file, or one outside the repository git cannot give back
		if src.abs != "" {
			s.notify("%s is outside the repository: restoring with it as it is now", s.Cfg.Compose)
		}
		out.Model, out.Canonical, err = s.renderApps(ctx, slot, out.Apps, env)
		return out, err
	case r.Commit == "":
		// Written before kickoff recorded commits: the working copy's file is the team's too.
		s.notify("deploy %s recorded no commit (an older kickoff wrote it): restoring it with %s as in this working copy", r.ID, s.Cfg.Compose)
		out.Commit = s.headCommit()
		out.Model, out.Canonical, err = s.renderApps(ctx, slot, out.Apps, env)
		return out, err
	}
	content, err := s.Repo.FileAt(r.Commit, src.rel)
	if err != nil {
		return nil, &RecordError{ID: r.ID, Slot: slot, Problems: []string{err.Error()}}
	}
	out.Model, out.Canonical, err = s.renderWith(ctx, src.abs, content, slot, out.Apps, env)
	return out, err
}

// composeFile is where the configured compose file lives: abs in this working copy, rel
// its slash path in the repository ("" when there is none, or it is outside).
type composeFileSource struct{ abs, rel string }

func (s *Service) composeSource() (composeFileSource, error) {
	if s.Cfg.Compose == "" {
		return composeFileSource{}, nil
	}
	root := ""
	if s.Repo != nil {
		root = s.Repo.Root
	}
	abs := s.Cfg.Compose
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, abs)
	}
	if root == "" {
		return composeFileSource{abs: abs}, nil
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return composeFileSource{abs: abs}, nil
	}
	return composeFileSource{abs: abs, rel: filepath.ToSlash(rel)}, nil
}

// renderWith calls render (the one a release uses) with content standing in for the team's
// compose file: written to a private temporary file beside it, so that what the file refers
// to relatively (.env, env_file, build contexts) resolves exactly as for a release.
func (s *Service) renderWith(ctx context.Context, abs string, content []byte, slot string, apps []AppPlan, env map[string]string) (model, canonical []byte, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(abs), ".kickoff-restore-*"+filepath.Ext(abs))
	if err != nil {
		return nil, nil, fmt.Errorf("restore needs a private copy of %s beside it: %w", s.Cfg.Compose, err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(content)
	if err := errors.Join(werr, tmp.Close()); err != nil {
		return nil, nil, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	cfg := *s.Cfg
	cfg.Compose = tmp.Name()
	at := *s
	at.Cfg = &cfg
	return at.renderApps(ctx, slot, apps, env)
}

// renderApps renders the slot for apps and env with the one render a release uses.
func (s *Service) renderApps(ctx context.Context, slot string, apps []AppPlan, env map[string]string) (model, canonical []byte, err error) {
	p := &Plan{Slot: slot, Project: s.Project(slot), Apps: apps, Env: env}
	if err := s.render(ctx, p); err != nil {
		return nil, nil, err
	}
	return p.Compose, p.Model.Canonical(p.Compose), nil
}

// headCommit is the commit checked out in this working copy, "" when there is none.
func (s *Service) headCommit() string {
	if s.Repo == nil {
		return ""
	}
	h, err := s.Repo.Resolve("HEAD")
	if err != nil {
		return ""
	}
	return h.String()
}

// warnUncommitted tells the user when the compose file a release renders differs from the
// one committed at commit: the deploy runs it, but a restore of the deploy reads the commit.
func (s *Service) warnUncommitted(commit string) {
	src, err := s.composeSource()
	if err != nil || src.rel == "" || commit == "" {
		return
	}
	here, err := os.ReadFile(src.abs)
	if err != nil {
		return
	}
	committed, err := s.Repo.FileAt(commit, src.rel)
	if err != nil || string(committed) != string(here) {
		s.notify("warning: %s has changes not committed at %s: this deploy runs them, but a rollback to it reads the committed file", s.Cfg.Compose, gitrepo.ShortID(commit))
	}
}

// seal adds to rec what tells its model and environment apart without holding them: the
// model's fingerprint and each service's variables by name with a keyed hash of each value
// (ledger.Hasher under the ledger's key).
func (s *Service) seal(ctx context.Context, rec *ledger.Record, model []byte) error {
	key, err := s.Ledger.HashKey(ctx)
	if err != nil {
		return fmt.Errorf("the ledger's hash key: %w", err)
	}
	h := ledger.NewHasher(key)
	rec.Fingerprint = h.Sum(model)
	rec.EnvHashes, err = envHashes(h, model)
	return err
}

// fingerprint is the hash seal records for model, for comparing with a recorded one.
func (s *Service) fingerprint(ctx context.Context, model []byte) (string, error) {
	key, err := s.Ledger.HashKey(ctx)
	if err != nil {
		return "", fmt.Errorf("the ledger's hash key: %w", err)
	}
	return ledger.NewHasher(key).Sum(model), nil
}

// envHashes reads every service's environment out of a rendered model (environment:, in
// map or list form, over the env_file files it names) and hashes each value.
func envHashes(h ledger.Hasher, model []byte) (map[string]map[string]string, error) {
	var doc struct {
		Services map[string]struct {
			Environment yaml.Node `yaml:"environment"`
			EnvFile     yaml.Node `yaml:"env_file"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(model, &doc); err != nil {
		return nil, fmt.Errorf("read the rendered model: %w", err)
	}
	out := map[string]map[string]string{}
	for name, svc := range doc.Services {
		vars := map[string]string{}
		for _, f := range envFiles(&svc.EnvFile) {
			if _, err := os.Stat(f.path); err != nil && !f.required {
				continue
			}
			m, err := dotenv.GetEnvFromFile(nil, []string{f.path})
			if err != nil {
				return nil, fmt.Errorf("service %s: env_file: %w", name, err)
			}
			for k, v := range m {
				vars[k] = v
			}
		}
		env := &svc.Environment
		switch env.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(env.Content); i += 2 {
				vars[env.Content[i].Value] = env.Content[i+1].Value
			}
		case yaml.SequenceNode:
			for _, n := range env.Content {
				k, v, _ := strings.Cut(n.Value, "=")
				vars[k] = v
			}
		}
		if len(vars) == 0 {
			continue
		}
		hashed := make(map[string]string, len(vars))
		for k, v := range vars {
			hashed[k] = h.Sum([]byte(v))
		}
		out[name] = hashed
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

type envFile struct {
	path     string
	required bool
}

// envFiles reads env_file in each form Compose accepts: a path, a list of paths, a list of
// {path, required}.
func envFiles(n *yaml.Node) []envFile {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value != "" {
			return []envFile{{path: n.Value, required: true}}
		}
	case yaml.SequenceNode:
		var out []envFile
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode {
				out = append(out, envFile{path: c.Value, required: true})
				continue
			}
			var f struct {
				Path     string `yaml:"path"`
				Required *bool  `yaml:"required"`
			}
			if c.Decode(&f) == nil && f.Path != "" {
				out = append(out, envFile{path: f.Path, required: f.Required == nil || *f.Required})
			}
		}
		return out
	}
	return nil
}

// sameDeploy reports whether two deploys put the same model on the slot: by fingerprint,
// or for records older than fingerprints by commit and app digests.
func sameDeploy(a, b *ledger.Record) bool {
	if a.Fingerprint != "" && b.Fingerprint != "" {
		return a.Fingerprint == b.Fingerprint
	}
	digests := func(r *ledger.Record) []string {
		var out []string
		for _, x := range r.Apps {
			out = append(out, x.Name+"@"+x.Digest)
		}
		slices.Sort(out)
		return out
	}
	return a.Commit == b.Commit && slices.Equal(digests(a), digests(b))
}

// validRef: refRe, and 200 characters at most.
func validRef(s string) bool { return len(s) <= 200 && refRe.MatchString(s) }
