package platform

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Via says how kickoff reaches a repository.
type Via string

// The ways to a repository.
const (
	ViaHere  Via = "here"  // the repository holding .kickoff.yaml, where kickoff runs
	ViaClone Via = "clone" // the local clone at its path:
	ViaCache Via = "cache" // a bare clone in the user's cache folder, fetched, never checked out
)

// Errors users see; match them with errors.Is.
var (
	ErrUnknownRepo = errors.New("no such repository")
	ErrWrongClone  = errors.New("not a clone of the declared url")
)

// Repository is one repository of the platform, opened.
type Repository struct {
	Name    string // its name under repos:, or this repository's own (see Open)
	URL     string // as declared ("" for this repository when it is not under repos:)
	Current bool   // the repository holding .kickoff.yaml, where the user stands
	Via     Via
	Repo    *gitrepo.Repo
	Remote  string // the remote of Repo that is URL (the configured remote: for this one)
}

// Platform is the project's repositories: this one first, then the declared ones by name.
type Platform struct {
	Repos []*Repository
}

// Options say where the platform's repositories are.
type Options struct {
	Here   *gitrepo.Repo              // the repository holding .kickoff.yaml
	Remote string                     // its remote (remote:, --remote)
	Repos  map[string]config.RepoSpec // repos: (validated by config)
	// CacheDir holds the bare clones of repositories without path:; "": CacheDir(Getenv).
	CacheDir string
	Getenv   func(string) string
}

// Open finds the platform's repositories without talking to any remote: this one, each
// declared one's local clone (whose remote must be its url), or its bare clone in the
// cache (created empty when absent: Connect fetches it). A declared repository whose url
// or path is this repository is this one, under its declared name; else this repository
// is named after its remote's URL (or its folder). With no repos:, the platform is this
// repository alone.
func Open(o Options) (*Platform, error) {
	here := &Repository{Current: true, Via: ViaHere, Repo: o.Here, Remote: o.Remote}
	p := &Platform{Repos: []*Repository{here}}
	for _, name := range sortedNames(o.Repos) {
		spec := o.Repos[name]
		if isHere(o.Here, o.Remote, spec) {
			if here.Name != "" {
				return nil, fmt.Errorf("repos.%s and repos.%s are both this repository: keep one", here.Name, name)
			}
			here.Name, here.URL = name, spec.URL
			continue
		}
		r, err := openDeclared(o, name, spec)
		if err != nil {
			return nil, err
		}
		p.Repos = append(p.Repos, r)
	}
	if here.Name == "" {
		here.Name = ownName(o.Here, o.Remote)
		if slices.ContainsFunc(p.Repos[1:], func(r *Repository) bool { return r.Name == here.Name }) {
			return nil, fmt.Errorf("repos.%s is not this repository (its url is not this repository's remote %q), yet this repository is called %s too: declare this repository under repos: with its url, or rename repos.%s",
				here.Name, o.Remote, here.Name, here.Name)
		}
	}
	return p, nil
}

func sortedNames(m map[string]config.RepoSpec) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// isHere reports whether spec declares the repository holding .kickoff.yaml: its path: is
// this folder, or its url is this repository's remote.
func isHere(here *gitrepo.Repo, remote string, spec config.RepoSpec) bool {
	if spec.Path != "" {
		return samePath(absPath(here.Root, spec.Path), here.Root)
	}
	u, err := here.RemoteURL(remote)
	return err == nil && gitrepo.SameRepository(u, spec.URL, here.Root, here.Root)
}

func absPath(base, p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	return filepath.Clean(p)
}

func samePath(a, b string) bool {
	return gitrepo.CanonicalURL(a, "/") == gitrepo.CanonicalURL(b, "/")
}

var notName = regexp.MustCompile(`[^a-z0-9_-]+`)

// ownName is this repository's name when repos: does not declare it: the last part of its
// remote's URL without .git (fe for git@github.com:acme/fe.git), else its folder's name.
func ownName(here *gitrepo.Repo, remote string) string {
	base := filepath.Base(here.Root)
	if u, err := here.RemoteURL(remote); err == nil {
		base = filepath.Base(strings.TrimSuffix(strings.TrimRight(gitrepo.CanonicalURL(u, here.Root), "/"), ".git"))
	}
	name := strings.Trim(notName.ReplaceAllString(strings.ToLower(base), "-"), "-_")
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		name = "r" + name
	}
	if len(name) > 31 {
		name = name[:31]
	}
	return name
}

func openDeclared(o Options, name string, spec config.RepoSpec) (*Repository, error) {
	r := &Repository{Name: name, URL: spec.URL}
	if spec.Path != "" {
		dir := absPath(o.Here.Root, spec.Path)
		repo, err := gitrepo.Open(dir)
		if err == nil && !samePath(repo.Root, dir) {
			err = gitrepo.ErrNotRepo // a folder inside another repository
		}
		if err != nil {
			return nil, fmt.Errorf("repository %s: repos.%s.path: %s is not a clone of %s: clone it there (git clone %s %s), or remove path: to let kickoff keep its own copy",
				name, name, spec.Path, gitrepo.RedactURL(spec.URL), gitrepo.RedactURL(spec.URL), spec.Path)
		}
		remote, ok := repo.RemoteFor(spec.URL, o.Here.Root)
		if !ok {
			return nil, fmt.Errorf("repository %s: %w: the clone at %s (repos.%s.path) has no remote %s (its remotes: %s): point path: at a clone of it, or fix repos.%s.url",
				name, ErrWrongClone, spec.Path, name, gitrepo.RedactURL(spec.URL), describeRemotes(repo), name)
		}
		repo.Progress = o.Here.Progress
		r.Via, r.Repo, r.Remote = ViaClone, repo, remote
		return r, nil
	}
	dir, err := cacheDir(o)
	if err != nil {
		return nil, fmt.Errorf("repository %s: %w", name, err)
	}
	u := spec.URL
	if c := gitrepo.CanonicalURL(u, o.Here.Root); filepath.IsAbs(c) {
		u = c // a local path: from the cache's folder, a relative one would lead elsewhere
	}
	repo, err := gitrepo.OpenBareClone(filepath.Join(dir, CacheName(gitrepo.CanonicalURL(spec.URL, o.Here.Root))), "origin", u)
	if err == nil {
		err = dropBranches(repo)
	}
	if err != nil {
		return nil, fmt.Errorf("repository %s: %w", name, err)
	}
	repo.Progress = o.Here.Progress
	r.Via, r.Repo, r.Remote = ViaCache, repo, "origin"
	return r, nil
}

func describeRemotes(repo *gitrepo.Repo) string {
	var out []string
	for _, n := range repo.RemoteNames() {
		u, _ := repo.RemoteURL(n)
		out = append(out, n+" "+gitrepo.RedactURL(u))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func cacheDir(o Options) (string, error) {
	if o.CacheDir != "" {
		return o.CacheDir, nil
	}
	return CacheDir(o.Getenv)
}

// Single reports whether the platform is this repository alone (no repos:).
func (p *Platform) Single() bool { return len(p.Repos) == 1 }

// Here is the repository holding .kickoff.yaml.
func (p *Platform) Here() *Repository { return p.Repos[0] }

// Names lists the repositories' names, this one first.
func (p *Platform) Names() []string {
	out := make([]string, len(p.Repos))
	for i, r := range p.Repos {
		out[i] = r.Name
	}
	return out
}

// Find is the repository of that name.
func (p *Platform) Find(name string) (*Repository, error) {
	for _, r := range p.Repos {
		if r.Name == name {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%w %q: the platform's repositories are %s", ErrUnknownRepo, name, strings.Join(p.Names(), ", "))
}

// Select is the repositories named (all of them for none), in the platform's order; an
// unknown name is an error listing the known ones.
func (p *Platform) Select(names []string) ([]*Repository, error) {
	if len(names) == 0 {
		return p.Repos, nil
	}
	for _, n := range names {
		if _, err := p.Find(n); err != nil {
			return nil, err
		}
	}
	var out []*Repository
	for _, r := range p.Repos {
		if slices.Contains(names, r.Name) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Env is the lifecycle environment of r: base's settings (trunk, messages, observer) on
// r's repository and remote. In a platform of several repositories every remote must
// answer (Strict), and only this repository's work tree is ever switched (NoSwitch).
func (p *Platform) Env(r *Repository, base *kickoff.Env) *kickoff.Env {
	e := &kickoff.Env{
		Repo: r.Repo, Main: base.Main, Remote: r.Remote, Getenv: base.Getenv, Notef: base.Notef,
		StateDir: base.StateDir, Observe: base.Observe,
		Strict: !p.Single(), NoSwitch: !r.Current,
	}
	if !r.Current {
		e.StateDir = r.Repo.StateDir("")
	}
	return e
}

// Member is one repository with its lifecycle environment.
type Member struct {
	*Repository
	Env *kickoff.Env
}

// Members are the repositories with their environments (see Env).
func (p *Platform) Members(repos []*Repository, base *kickoff.Env) []Member {
	out := make([]Member, len(repos))
	for i, r := range repos {
		env := base
		if !r.Current || !p.Single() {
			env = p.Env(r, base)
		}
		out[i] = Member{Repository: r, Env: env}
	}
	return out
}

// Connect fetches every member (a bare clone in the cache is filled the first time): an
// unreachable repository, or one refusing the credentials, is an error naming it.
func Connect(ctx context.Context, ms []Member) error {
	for _, m := range ms {
		if err := m.Env.Connect(ctx); err != nil {
			return m.Errorf(err)
		}
	}
	return nil
}

// Errorf names the repository in err ("repository spring: ...").
func (r *Repository) Errorf(err error) error {
	return &RepoError{Repo: r.Name, Err: err}
}

// RepoError is a failure in one repository of the platform.
type RepoError struct {
	Repo string
	Err  error
}

func (e *RepoError) Error() string { return "repository " + e.Repo + ": " + e.Err.Error() }
func (e *RepoError) Unwrap() error { return e.Err }

// dropBranches deletes a bare clone's own branches, with their settings: every command
// makes its branches there only to push them, so any found are leftovers of an earlier
// command, which would hide the remote's (a branch deleted there since).
func dropBranches(repo *gitrepo.Repo) error {
	var names []plumbing.ReferenceName
	if err := repo.ForEachRef(func(name plumbing.ReferenceName, _ plumbing.Hash) error {
		if name.IsBranch() {
			names = append(names, name)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, n := range names {
		_ = repo.DeleteBranchConfig(n.Short())
		if err := repo.DeleteRef(n); err != nil {
			return err
		}
	}
	return nil
}
