package version

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// clone makes another work repository of r's remote, as a second machine would have.
func clone(t testing.TB, remote string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clone")
	cmd := exec.Command("git", "clone", "-q", remote, dir)
	cmd.Env = gittest.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("clone: %v\n%s", err, out)
	}
	return dir
}

func open(t testing.TB, dir string) *Store {
	t.Helper()
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	t.Setenv("GIT_COMMITTER_NAME", "Ann Author")
	t.Setenv("GIT_COMMITTER_EMAIL", "ann@example.com")
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return New(repo, config.Default())
}

// newKickoffs makes a repository with a pushed kickoff branch per name.
func newKickoffs(t testing.TB, names ...string) *gittest.Repo {
	r := gittest.New(t)
	for _, n := range names {
		r.Git("checkout", "-q", "-b", n, "main")
		r.Commit(n+".txt", n, "work on "+n)
		r.Git("push", "-q", "origin", n)
	}
	r.Git("checkout", "-q", "main")
	return r
}
