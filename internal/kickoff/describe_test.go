package kickoff_test

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Describe gives each kickoff its distance from main, last commit and features: recorded
// ones, and unrecorded branches holding its commits; main, kickoffs and branches outside
// the prefix are no features.
func TestDescribe(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, true)
	g.Git("switch", "-q", "kickoff-240510-dash")
	g.Git("switch", "-q", "-c", "feature/PROJ-2") // unrecorded, local only
	g.Commit("g.txt", "g\n", "second feature")
	g.Git("switch", "-q", "main")
	behind := g.Commit("m.txt", "m\n", "main moves on")
	g.Git("push", "-q", "origin", "main")
	g.Git("branch", "feature/PROJ-3") // off main: belongs to no kickoff
	g.Git("branch", "other/PROJ-4", "feature/PROJ-1")

	e := env(t, g)
	live, err := kickoff.Live(e.Repo, "origin")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.Describe(live, "feature/")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 {
		t.Fatalf("%d details, want 1", len(ds))
	}
	d := ds[0]
	if d.Ahead != 1 || d.Behind != 1 || d.Last.Hash.String() != g.Git("rev-parse", "kickoff-240510-dash") || !d.FinishedAt.IsZero() {
		t.Errorf("detail = %+v (main at %s)", d, behind)
	}
	type feat struct {
		branch        string
		local, remote bool
		ahead         int
	}
	want := []feat{{"feature/PROJ-1", true, true, 2}, {"feature/PROJ-2", true, false, 2}}
	if len(d.Features) != len(want) {
		t.Fatalf("features = %+v, want %+v", d.Features, want)
	}
	for i, w := range want {
		f := d.Features[i]
		if got := (feat{f.Branch, f.Local, f.Remote, f.Ahead}); got != w {
			t.Errorf("feature %d = %+v, want %+v", i, got, w)
		}
	}
	// No prefix: every other branch is a candidate, other/PROJ-4 included.
	ds, err = e.Describe(live, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ds[0].Features); n != 3 {
		t.Errorf("without a prefix: %d features %+v, want 3", n, ds[0].Features)
	}
}
