package kickoff_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// finishedRepo has kickoff-240510-dash and its recorded feature/PROJ-1 merged into main and
// pushed, the work tree on the kickoff.
func finishedRepo(t *testing.T) *gittest.Repo {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, true)
	mergeToMain(g, "feature/PROJ-1", "kickoff-240510-dash")
	g.Git("switch", "-q", "kickoff-240510-dash")
	return g
}

func planFinish(t *testing.T, g *gittest.Repo) *kickoff.FinishPlan {
	t.Helper()
	fp, err := env(t, g).PlanFinish(context.Background(), "kickoff-240510-dash", kickoff.FinishOptions{FeaturePrefix: "feature/"})
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

const memberRef = "refs/kickoff/features/kickoff-240510-dash/feature/PROJ-1"

// Finish deletes the kickoff's and its features' branches and membership refs, here and on
// the remote (remote-tracking refs too).
func TestFinishDeletes(t *testing.T) {
	g := finishedRepo(t)
	if err := planFinish(t, g).Plan.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"refs/heads/kickoff-240510-dash", "refs/heads/feature/", "refs/kickoff/features/"} {
		if got := g.Git("ls-remote", "origin", pattern+"*"); got != "" {
			t.Errorf("remote still has %s", got)
		}
	}
	for _, pattern := range []string{"refs/heads/kickoff-240510-dash", "refs/heads/feature/", "refs/remotes/origin/kickoff-240510-dash", "refs/remotes/origin/feature/", "refs/kickoff/features/"} {
		if got := g.Git("for-each-ref", pattern); got != "" {
			t.Errorf("left here: %s", got)
		}
	}
	if got := g.Git("config", "--list"); strings.Contains(got, "branch.feature/PROJ-1.") {
		t.Errorf("branch config left:\n%s", got)
	}
}

// When a step after the deletions fails, undoing puts every branch and membership ref back
// at its old head, here and on the remote.
func TestFinishDeletesUndo(t *testing.T) {
	g := finishedRepo(t)
	before := g.Git("ls-remote", "origin", "refs/heads/*", "refs/kickoff/features/*")
	local := g.Git("for-each-ref", "refs/heads/", "refs/kickoff/features/")
	fp := planFinish(t, g)
	fp.Plan.Add("fail", func(context.Context) error { return errors.New("boom") }, nil)
	if err := fp.Plan.Run(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "earlier steps were undone") {
		t.Fatalf("Run = %v", err)
	}
	if got := g.Git("ls-remote", "origin", "refs/heads/*", "refs/kickoff/features/*"); got != before {
		t.Errorf("remote after undo:\n%s\nwant:\n%s", got, before)
	}
	if got := g.Git("for-each-ref", "refs/heads/", "refs/kickoff/features/"); got != local {
		t.Errorf("local refs after undo:\n%s\nwant:\n%s", got, local)
	}
	if got := g.Git("for-each-ref", "refs/kickoff/restore/"); got != "" {
		t.Errorf("temporary refs left: %s", got)
	}
}

// Only what exists is deleted: a feature never pushed (recorded in this clone's config
// only) has no remote step and no membership ref to delete.
func TestFinishDeletesOnlyWhatExists(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	g.Git("switch", "-q", "-c", "feature/PROJ-1")
	g.Git("config", "branch.feature/PROJ-1.kickoff", "kickoff-240510-dash")
	g.Commit("f.txt", "f\n", "feature")
	mergeToMain(g, "feature/PROJ-1", "kickoff-240510-dash")
	got := strings.Join(planFinish(t, g).Plan.Descriptions(), "\n")
	for _, want := range []string{"delete kickoff-240510-dash on origin", "delete local branches kickoff-240510-dash, feature/PROJ-1"} {
		if !strings.Contains(got, want+"\n") && !strings.HasSuffix(got, want) {
			t.Errorf("plan lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "membership") {
		t.Errorf("plan deletes membership records that do not exist:\n%s", got)
	}
}
