package kickoff_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Status of a feature branch: its kickoff, distances from main, the kickoff and its
// upstream, and the uncommitted files.
func TestStatusOfFeature(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, true)
	g.Commit("f2.txt", "f2\n", "not pushed")
	g.Git("switch", "-q", "kickoff-240510-dash")
	g.Commit("k.txt", "k\n", "kickoff moves on")
	g.Git("push", "-q", "origin", "kickoff-240510-dash")
	g.Git("switch", "-q", "feature/PROJ-1")
	g.Write("wip.txt", "wip\n")

	s, err := env(t, g).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Branch != "feature/PROJ-1" || s.Kickoff != "kickoff-240510-dash" || s.IsKickoff || s.Main != "origin/main" {
		t.Errorf("status = %+v", s)
	}
	if s.AheadMain != 3 || s.BehindMain != 0 || s.AheadKickoff != 2 || s.BehindKickoff != 1 {
		t.Errorf("distances = main +%d -%d, kickoff +%d -%d; want +3 -0, +2 -1", s.AheadMain, s.BehindMain, s.AheadKickoff, s.BehindKickoff)
	}
	if s.Upstream != "origin/feature/PROJ-1" || s.Unpushed != 1 || s.Unpulled != 0 {
		t.Errorf("upstream = %s +%d -%d; want origin/feature/PROJ-1 +1 -0", s.Upstream, s.Unpushed, s.Unpulled)
	}
	if !slices.Equal(s.Dirty, []string{"wip.txt"}) {
		t.Errorf("dirty = %q", s.Dirty)
	}
}

// A kickoff branch never pushed: it is its own kickoff, all its commits are unpushed.
func TestStatusOfUnpushedKickoff(t *testing.T) {
	g := gittest.New(t)
	g.Git("switch", "-q", "-c", "kickoff-240510-dash")
	g.Commit("a.txt", "a\n", "a")
	g.Commit("b.txt", "b\n", "b")
	s, err := env(t, g).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Kickoff != "kickoff-240510-dash" || !s.IsKickoff || s.Upstream != "" || s.Unpushed != 2 || s.AheadKickoff != 0 || len(s.Dirty) != 0 {
		t.Errorf("status = %+v", s)
	}
}

func TestStatusDetached(t *testing.T) {
	g := gittest.New(t)
	g.Git("switch", "-q", "--detach")
	if _, err := env(t, g).Status(context.Background()); err == nil || !strings.Contains(err.Error(), "HEAD is detached: switch to a branch") {
		t.Errorf("detached: %v", err)
	}
}
