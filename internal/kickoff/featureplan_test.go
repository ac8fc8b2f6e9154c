package kickoff_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// `kickoff feature` cuts the branch from the kickoff's newest head, records its kickoff,
// pushes both and switches to it.
func TestPlanFeature(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	head := g.Git("rev-parse", "HEAD")
	e := env(t, g)
	k, err := e.FindKickoff("kickoff-240510-dash")
	if err != nil {
		t.Fatal(err)
	}
	fp, err := e.PlanFeature(context.Background(), k, kickoff.FeatureOptions{Key: "PROJ-7", Summary: "Add the chart", Template: "feature/{{key}}-{{summary-slug}}", Push: true})
	if err != nil {
		t.Fatal(err)
	}
	if fp.Branch != "feature/PROJ-7-add-the-chart" || fp.Base.String() != head || !fp.Pushed || !fp.Checkout {
		t.Fatalf("plan = %+v", fp)
	}
	want := []string{
		"create branch feature/PROJ-7-add-the-chart at kickoff-240510-dash (" + head[:12] + ")",
		"record that feature/PROJ-7-add-the-chart belongs to kickoff-240510-dash (refs/kickoff/features/kickoff-240510-dash/feature/PROJ-7-add-the-chart)",
		"push that record to origin",
		"push feature/PROJ-7-add-the-chart to origin and set its upstream",
		"switch to feature/PROJ-7-add-the-chart",
	}
	if got := fp.Plan.Descriptions(); !slices.Equal(got, want) {
		t.Fatalf("steps:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := fp.Plan.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("branch", "--show-current"); got != fp.Branch {
		t.Errorf("on %s", got)
	}
	if got := g.Git("config", "branch."+fp.Branch+".kickoff"); got != "kickoff-240510-dash" {
		t.Errorf("branch config kickoff = %q", got)
	}
	if got := g.Git("ls-remote", "origin", "refs/kickoff/features/*"); !strings.HasPrefix(got, head) {
		t.Errorf("remote membership ref = %q", got)
	}

	// Again: refused, saying where it exists.
	_, err = e.PlanFeature(context.Background(), k, kickoff.FeatureOptions{Key: "PROJ-7", Summary: "Add the chart", Template: "feature/{{key}}-{{summary-slug}}"})
	if !errors.Is(err, kickoff.ErrExists) || !strings.Contains(err.Error(), "git switch feature/PROJ-7-add-the-chart") {
		t.Errorf("second feature: %v", err)
	}
}

// A teammate pushed to the kickoff: the feature starts from the remote's head and says so.
func TestPlanFeatureFromNewerRemote(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	newer := g.Commit("more.txt", "more\n", "teammate")
	g.Git("push", "-q", "origin", "kickoff-240510-dash")
	g.Git("reset", "-q", "--hard", "HEAD~1")
	e := env(t, g)
	k, err := e.FindKickoff("kickoff-240510-dash")
	if err != nil {
		t.Fatal(err)
	}
	fp, err := e.PlanFeature(context.Background(), k, kickoff.FeatureOptions{Key: "PROJ-8", Template: "feature/{{key}}"})
	if err != nil {
		t.Fatal(err)
	}
	if fp.Base.String() != newer || fp.Pushed {
		t.Fatalf("plan = %+v, want base %s and not pushed", fp, newer)
	}
	if got := fp.Plan.Descriptions()[0]; got != "create branch feature/PROJ-8 at origin/kickoff-240510-dash ("+newer[:12]+")" {
		t.Errorf("first step = %q", got)
	}
}

// KickoffOf: a kickoff branch is its own; a feature by its record; another branch by the
// kickoff commits it contains; else none.
func TestKickoffOf(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	g.Git("branch", "topic") // contains the kickoff's commit, no record
	pushFeature(g, false)
	g.Git("switch", "-q", "main")
	g.Git("branch", "unrelated")
	e := env(t, g)
	for _, tc := range []struct {
		branch string
		want   string
	}{
		{"kickoff-240510-dash", "kickoff-240510-dash"},
		{"kickoff-240601-gone", "kickoff-240601-gone"}, // a kickoff name is its own kickoff
		{"feature/PROJ-1", "kickoff-240510-dash"},
		{"topic", "kickoff-240510-dash"},
		{"unrelated", ""},
		{"no-such-branch", ""},
	} {
		n, ok := e.KickoffOf(tc.branch)
		if got := map[bool]string{true: n.String(), false: ""}[ok]; got != tc.want {
			t.Errorf("KickoffOf(%s) = %q, want %q", tc.branch, got, tc.want)
		}
	}
}

// ChooseKickoff: the named one, else the current branch's, else an error listing the live
// kickoffs and how to pick one.
func TestChooseKickoff(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, true)
	e := env(t, g)
	if k, err := e.ChooseKickoff(""); err != nil || k.Name.String() != "kickoff-240510-dash" {
		t.Errorf("from feature/PROJ-1: %v, %v", k.Name, err)
	}
	if _, err := e.ChooseKickoff("kickoff-240511-other"); !errors.Is(err, kickoff.ErrUnknown) || !strings.Contains(err.Error(), "see `kickoff list`") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := e.ChooseKickoff("not a name"); err == nil || errors.Is(err, kickoff.ErrUnknown) {
		t.Errorf("invalid name: %v, want the name's parse error", err)
	}
	g.Git("switch", "-q", "main")
	_, err := e.ChooseKickoff("")
	var nk *kickoff.NoKickoffError
	if !errors.As(err, &nk) || !errors.Is(err, kickoff.ErrNoKickoff) {
		t.Fatalf("on main: %v, want a NoKickoffError", err)
	}
	if want := `the current branch "main" belongs to no kickoff: pick one with --kickoff (live: kickoff-240510-dash)`; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}

func TestNoKickoffErrorMessage(t *testing.T) {
	err := &kickoff.NoKickoffError{}
	if want := "HEAD is detached and there are no live kickoffs: create one with `kickoff new SUMMARY`"; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}
