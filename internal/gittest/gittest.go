// Package gittest builds real throw-away repositories for tests: a work repository with a
// bare remote, commits and branches made by the git binary, so tests run against what
// users have. Test code only.
package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a work repository cloned from a bare remote ("origin").
type Repo struct {
	t      testing.TB
	Dir    string // work tree
	Remote string // bare remote's path
}

// Env is the environment git needs for reproducible commits in tests.
func Env() []string {
	return append(os.Environ(),
		"GIT_AUTHOR_NAME=Ann Author", "GIT_AUTHOR_EMAIL=ann@example.com",
		"GIT_COMMITTER_NAME=Ann Author", "GIT_COMMITTER_EMAIL=ann@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
	)
}

// New makes a bare remote and a clone of it with one commit on main, pushed.
func New(t testing.TB) *Repo {
	t.Helper()
	base := t.TempDir()
	r := &Repo{t: t, Dir: filepath.Join(base, "work"), Remote: filepath.Join(base, "remote.git")}
	run(t, base, "init", "-q", "--bare", "-b", "main", r.Remote)
	run(t, base, "init", "-q", "-b", "main", r.Dir)
	r.Git("remote", "add", "origin", r.Remote)
	r.Commit("README.md", "hello\n", "initial commit")
	r.Git("push", "-q", "-u", "origin", "main")
	return r
}

// NewLocal makes a repository with no remote and one commit on main.
func NewLocal(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{t: t, Dir: filepath.Join(t.TempDir(), "work")}
	run(t, filepath.Dir(r.Dir), "init", "-q", "-b", "main", r.Dir)
	r.Commit("README.md", "hello\n", "initial commit")
	return r
}

// Git runs git in the work tree and returns its trimmed output; failure fails the test.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	return run(r.t, r.Dir, args...)
}

// Write writes a file (creating folders) without committing.
func (r *Repo) Write(path, content string) {
	r.t.Helper()
	full := filepath.Join(r.Dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Commit writes one file and commits it on the current branch; it returns the commit id.
func (r *Repo) Commit(path, content, msg string) string {
	r.t.Helper()
	r.Write(path, content)
	r.Git("add", "--", path)
	r.Git("commit", "-q", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}

func run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = Env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}
