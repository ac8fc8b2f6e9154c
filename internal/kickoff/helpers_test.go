package kickoff_test

import (
	"context"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

func env(t *testing.T, g *gittest.Repo) *kickoff.Env {
	t.Helper()
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	e := &kickoff.Env{Repo: repo, Main: "main", Remote: "origin", Getenv: func(string) string { return "" }}
	if err := e.Connect(context.Background()); err != nil || !e.Online() {
		t.Fatalf("fetch failed: %v %s", err, e.Offline())
	}
	return e
}

// pushKickoff creates the kickoff branch kickoff-240510-dash with one commit and pushes it;
// the work tree stays on it.
func pushKickoff(g *gittest.Repo) {
	g.Git("switch", "-q", "-c", "kickoff-240510-dash")
	g.Commit("dash.txt", "dash\n", "dash")
	g.Git("push", "-q", "-u", "origin", "kickoff-240510-dash")
}

// pushFeature creates feature/PROJ-1 off the current kickoff branch as `kickoff feature`
// does (with its membership record when record is set), with one commit, and pushes it.
func pushFeature(g *gittest.Repo, record bool) {
	g.Git("switch", "-q", "-c", "feature/PROJ-1")
	g.Git("config", "branch.feature/PROJ-1.kickoff", "kickoff-240510-dash")
	push := []string{"push", "-q", "-u", "origin", "feature/PROJ-1"}
	if record {
		g.Git("update-ref", "refs/kickoff/features/kickoff-240510-dash/feature/PROJ-1", "HEAD")
		push = append(push, "refs/kickoff/features/kickoff-240510-dash/feature/PROJ-1")
	}
	g.Commit("f.txt", "f\n", "feature")
	g.Git(push...)
}

// mergeToMain merges the branches into main, in order, and pushes main; the work tree stays
// on main.
func mergeToMain(g *gittest.Repo, branches ...string) {
	g.Git("switch", "-q", "main")
	for _, b := range branches {
		g.Git("merge", "-q", "--no-ff", "--no-edit", b)
	}
	g.Git("push", "-q", "origin", "main")
}
