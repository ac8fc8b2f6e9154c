package platform

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

func open(t *testing.T, g *gittest.Repo) *gitrepo.Repo {
	t.Helper()
	r, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// No repos: is this repository alone, as before.
func TestOpenSingle(t *testing.T) {
	here := gittest.New(t)
	p, err := Open(Options{Here: open(t, here), Remote: "origin", CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Single() || p.Here().Via != ViaHere || p.Here().Name != "remote" {
		t.Fatalf("platform = %+v", p.Repos[0])
	}
	base := &kickoff.Env{Repo: p.Here().Repo, Main: "main", Remote: "origin"}
	if ms := p.Members(p.Repos, base); ms[0].Env != base {
		t.Error("a single repository's environment is not the command's own")
	}
}

// Declared repositories: this one by its url, a local clone by path:, the others through
// bare clones in the cache, fetched by Connect.
func TestOpenDeclared(t *testing.T) {
	here, clone, cached := gittest.New(t), gittest.New(t), gittest.New(t)
	cache := t.TempDir()
	p, err := Open(Options{Here: open(t, here), Remote: "origin", CacheDir: cache, Repos: map[string]config.RepoSpec{
		"fe":     {URL: here.Remote},
		"spring": {URL: clone.Remote, Path: clone.Dir},
		"django": {URL: cached.Remote},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Names(), ","); got != "fe,django,spring" {
		t.Fatalf("names = %s", got)
	}
	d, _ := p.Find("django")
	s, _ := p.Find("spring")
	if p.Here().Name != "fe" || d.Via != ViaCache || s.Via != ViaClone || s.Remote != "origin" {
		t.Fatalf("repositories: %+v %+v %+v", p.Here(), d, s)
	}
	if !strings.HasPrefix(d.Repo.GitDir, cache) {
		t.Errorf("the bare clone is at %s, not in the cache %s", d.Repo.GitDir, cache)
	}
	ms := p.Members(p.Repos, &kickoff.Env{Repo: p.Here().Repo, Main: "main", Remote: "origin"})
	if err := Connect(context.Background(), ms); err != nil {
		t.Fatal(err)
	}
	if _, h, err := ms[1].Env.MainHead(); err != nil || h.String() != cached.Git("rev-parse", "main") {
		t.Errorf("django's main = %s, %v", h, err)
	}
	if !ms[1].Env.NoSwitch || ms[0].Env.NoSwitch || !ms[0].Env.Strict {
		t.Errorf("only this repository's work tree switches, and every remote must answer")
	}
	if _, err := p.Select([]string{"spring", "nope"}); !errors.Is(err, ErrUnknownRepo) || !strings.Contains(err.Error(), "fe, django, spring") {
		t.Errorf("Select(nope) = %v", err)
	}
}

// A path: whose clone is of another repository, or no repository, is refused naming it.
func TestOpenWrongClone(t *testing.T) {
	here, other := gittest.New(t), gittest.New(t)
	_, err := Open(Options{Here: open(t, here), Remote: "origin", CacheDir: t.TempDir(), Repos: map[string]config.RepoSpec{
		"spring": {URL: "git@github.com:acme/spring.git", Path: other.Dir},
	}})
	if !errors.Is(err, ErrWrongClone) || !strings.Contains(err.Error(), "repository spring") || !strings.Contains(err.Error(), other.Remote) {
		t.Errorf("Open = %v", err)
	}
	_, err = Open(Options{Here: open(t, here), Remote: "origin", CacheDir: t.TempDir(), Repos: map[string]config.RepoSpec{
		"spring": {URL: "git@github.com:acme/spring.git", Path: filepath.Join(here.Dir, "sub")},
	}})
	if err == nil || !strings.Contains(err.Error(), "is not a clone of git@github.com:acme/spring.git") {
		t.Errorf("Open(folder in this repository) = %v", err)
	}
}

// An unreachable repository is an error naming it, not "working locally".
func TestConnectUnreachable(t *testing.T) {
	here := gittest.New(t)
	p, err := Open(Options{Here: open(t, here), Remote: "origin", CacheDir: t.TempDir(), Repos: map[string]config.RepoSpec{
		"gone": {URL: filepath.Join(t.TempDir(), "gone.git")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	err = Connect(context.Background(), p.Members(p.Repos, &kickoff.Env{Repo: p.Here().Repo, Main: "main", Remote: "origin"}))
	if err == nil || !strings.HasPrefix(err.Error(), "repository gone: fetch") {
		t.Errorf("Connect = %v", err)
	}
}

func TestCacheDir(t *testing.T) {
	env := map[string]string{"HOME": "/home/ann"}
	d, err := CacheDir(func(k string) string { return env[k] })
	if err != nil || !strings.HasSuffix(d, filepath.Join("kickoff", "repos")) {
		t.Errorf("CacheDir = %s, %v", d, err)
	}
	if _, err := CacheDir(func(string) string { return "" }); err == nil {
		t.Error("no HOME: no error")
	}
	a, b := CacheName("github.com/acme/fe"), CacheName("github.com/acme_fe")
	if a == b || strings.ContainsAny(a, "/:") {
		t.Errorf("CacheName: %s %s", a, b)
	}
}
