package kickoff_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// The shared steps (create, push with upstream, switch) each take themselves back: when a
// later step fails, the new branch is gone here and on the remote and the user is back on
// the branch they were on.
func TestBranchStepsUndo(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	e := env(t, g)
	k, err := e.FindKickoff("kickoff-240510-dash")
	if err != nil {
		t.Fatal(err)
	}
	fp, err := e.PlanFeature(context.Background(), k, kickoff.FeatureOptions{Key: "PROJ-7", Template: "feature/{{key}}", Push: true})
	if err != nil {
		t.Fatal(err)
	}
	fp.Plan.Add("fail", func(context.Context) error { return errors.New("boom") }, nil)
	err = fp.Plan.Run(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "earlier steps were undone") {
		t.Fatalf("Run = %v, want the failure and an undo", err)
	}
	if got := g.Git("branch", "--list", "feature/PROJ-7"); got != "" {
		t.Errorf("local branch left behind: %q", got)
	}
	if got := g.Git("ls-remote", "origin", "refs/heads/feature/PROJ-7"); got != "" {
		t.Errorf("remote branch left behind: %q", got)
	}
	if got := g.Git("branch", "--show-current"); got != "kickoff-240510-dash" {
		t.Errorf("on %s, want back on the kickoff", got)
	}
}

// Creating the branch re-checks at run time: a branch made since the plan is refused, not
// overwritten.
func TestCreateBranchRefusesOneMadeSincePlanning(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	e := env(t, g)
	k, err := e.FindKickoff("kickoff-240510-dash")
	if err != nil {
		t.Fatal(err)
	}
	fp, err := e.PlanFeature(context.Background(), k, kickoff.FeatureOptions{Key: "PROJ-7", Template: "feature/{{key}}"})
	if err != nil {
		t.Fatal(err)
	}
	main := g.Git("rev-parse", "main")
	g.Git("branch", "feature/PROJ-7", main)
	if err := fp.Plan.Run(context.Background(), nil); !errors.Is(err, kickoff.ErrExists) {
		t.Fatalf("Run = %v, want ErrExists", err)
	}
	if got := g.Git("rev-parse", "feature/PROJ-7"); got != main {
		t.Errorf("feature/PROJ-7 moved to %s", got)
	}
}
