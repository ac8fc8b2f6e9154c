package kickoff_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// A finish hook that fails (say, the final tag is refused) undoes everything: branches stay
// here and on the remote, no record is left, the user is back on the branch they were on.
func TestFinishUndoesWhenAHookFails(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, false)
	mergeToMain(g, "feature/PROJ-1")
	g.Git("switch", "-q", "kickoff-240510-dash")

	e := env(t, g)
	ran := false
	fp, err := e.PlanFinish(context.Background(), "kickoff-240510-dash", kickoff.FinishOptions{
		FeaturePrefix: "feature/",
		Hooks: []kickoff.FinishHook{{Desc: "final tag", Run: func(ctx context.Context, info kickoff.FinishInfo) (string, error) {
			ran = true
			if info.Kickoff.String() != "kickoff-240510-dash" || len(info.Features) != 1 || info.Features[0] != "feature/PROJ-1" {
				t.Errorf("hook info = %+v", info)
			}
			return "", errors.New("tag refused")
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = fp.Plan.Run(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "tag refused") || !strings.Contains(err.Error(), "undone") {
		t.Fatalf("Run = %v, want the hook's failure and an undo", err)
	}
	if !ran {
		t.Fatal("hook did not run")
	}
	for _, ref := range []string{"refs/heads/kickoff-240510-dash", "refs/heads/feature/PROJ-1"} {
		g.Git("rev-parse", "--verify", "-q", ref)
	}
	remote := g.Git("ls-remote", "origin")
	for _, want := range []string{"refs/heads/kickoff-240510-dash", "refs/heads/feature/PROJ-1"} {
		if !strings.Contains(remote, want) {
			t.Errorf("remote lost %s:\n%s", want, remote)
		}
	}
	if strings.Contains(remote, "refs/kickoff/") || strings.Contains(g.Git("for-each-ref", "refs/kickoff/"), "finished") {
		t.Errorf("a record was left behind")
	}
	if cur := g.Git("rev-parse", "--abbrev-ref", "HEAD"); cur != "kickoff-240510-dash" {
		t.Errorf("current branch = %s, want the kickoff back", cur)
	}
}

// The refusal names every branch with commits outside main, local and remote separately.
func TestFinishRefusesUnmergedRemoteCommits(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	mergeToMain(g, "kickoff-240510-dash")
	// A colleague pushed one more commit to the kickoff after it was merged.
	g.Git("switch", "-q", "kickoff-240510-dash")
	g.Commit("late.txt", "late\n", "late fix")
	g.Git("push", "-q", "origin", "kickoff-240510-dash")
	g.Git("reset", "-q", "--hard", "HEAD~1")
	g.Git("switch", "-q", "main")

	e := env(t, g)
	_, err := e.PlanFinish(context.Background(), "kickoff-240510-dash", kickoff.FinishOptions{FeaturePrefix: "feature/"})
	var ue *kickoff.UnmergedError
	if !errors.As(err, &ue) || !errors.Is(err, kickoff.ErrUnmerged) {
		t.Fatalf("err = %v, want an UnmergedError", err)
	}
	if ue.Branches["origin/kickoff-240510-dash"] != 1 || len(ue.Branches) != 1 {
		t.Fatalf("unmerged = %v, want origin/kickoff-240510-dash with 1 commit", ue.Branches)
	}
}

// The finish plan, in order: step off the branch being deleted, hooks, the record, then
// the deletions on the remote (membership records, after pushing the record) and here.
func TestFinishPlanSteps(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, true)
	mergeToMain(g, "feature/PROJ-1", "kickoff-240510-dash")
	g.Git("switch", "-q", "kickoff-240510-dash")

	fp, err := env(t, g).PlanFinish(context.Background(), "kickoff-240510-dash", kickoff.FinishOptions{
		FeaturePrefix: "feature/",
		Hooks: []kickoff.FinishHook{{Desc: "final tag", Kind: kickoff.StepTag, Refs: []string{"refs/tags/platform/v1.3.0"}, Remote: "origin",
			Run: func(context.Context, kickoff.FinishInfo) (string, error) { return "", nil }}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each step as data (--dry-run --json): what it changes, which refs, on which remote.
	const k, f = "refs/heads/kickoff-240510-dash", "refs/heads/feature/PROJ-1"
	const member, record = "refs/kickoff/features/kickoff-240510-dash/feature/PROJ-1", "refs/kickoff/finished/kickoff-240510-dash"
	wantData := []string{
		"switch [refs/heads/main] ",
		"tag [refs/tags/platform/v1.3.0] origin",
		"record [" + record + "] ",
		"delete [" + member + "] origin",
		"push [" + record + "] origin",
		"delete [" + k + " " + f + "] origin",
		"delete [" + k + " " + f + " " + member + "] ",
	}
	var gotData []string
	for _, s := range fp.Plan.Steps {
		gotData = append(gotData, fmt.Sprintf("%s %v %s", s.Kind, s.Refs, s.Remote))
	}
	if strings.Join(gotData, "\n") != strings.Join(wantData, "\n") {
		t.Errorf("steps as data:\n%s\nwant:\n%s", strings.Join(gotData, "\n"), strings.Join(wantData, "\n"))
	}
	want := []string{
		"switch to main",
		"final tag",
		"record kickoff-240510-dash as finished (refs/kickoff/finished/kickoff-240510-dash)",
		"delete the membership records of feature/PROJ-1 on origin",
		"push the record to origin",
		"delete kickoff-240510-dash, feature/PROJ-1 on origin",
		"delete local branches kickoff-240510-dash, feature/PROJ-1",
	}
	if got := fp.Plan.Descriptions(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
