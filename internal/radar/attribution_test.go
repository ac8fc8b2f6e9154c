package radar

import (
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// TestRangesAndAttribution: the line ranges are each side's own line numbers, and the
// commits that wrote those lines are named with their Jira keys, not the ones that
// touched other lines.
func TestRangesAndAttribution(t *testing.T) {
	r := gittest.NewLocal(t)
	base := lines(50, "r")
	r.Commit("app.txt", base, "base")
	r.Git("checkout", "-q", "-b", "kickoff-a")
	ours := "ours 1\nours 2\n" + base // two new lines at the top shift ours by 2
	r.Commit("app.txt", ours, "PROJ-7 shift everything")
	ours = replaceLine(ours, 22, "ours twenty")
	r.Commit("app.txt", ours, "PROJ-8 change line 20 of the base")
	r.Git("checkout", "-q", "-b", "kickoff-b", "main")
	theirs := replaceLine(base, 20, "theirs twenty")
	theirs = replaceLine(theirs, 21, "theirs twenty-one")
	r.Commit("app.txt", theirs, "OPS-3 change lines 20-21")
	r.Git("checkout", "-q", "main")

	rep := compare(t, r.Dir, "", "kickoff-a", "kickoff-b")
	p := rep.Pairs[0]
	if p.Clean || len(p.Conflicts) != 1 {
		t.Fatalf("want one conflict, got %+v", p)
	}
	c := p.Conflicts[0]
	if c.Kind != KindContent || !slices.Equal(c.Ours, []Range{{22, 23}}) || !slices.Equal(c.Theirs, []Range{{20, 21}}) {
		// git's zealous merge keeps the common line 21 (base line 21 unchanged on ours) inside the block.
		t.Errorf("ranges: kind %s ours %v theirs %v; want ours [[22 23]] theirs [[20 21]]", c.Kind, c.Ours, c.Theirs)
	}
	if len(c.OursBy) != 1 || !slices.Equal(c.OursBy[0].Jira, []string{"PROJ-8"}) {
		t.Errorf("ours by %+v, want only the PROJ-8 commit", c.OursBy)
	}
	if len(c.TheirsBy) != 1 || !slices.Equal(c.TheirsBy[0].Jira, []string{"OPS-3"}) || c.TheirsBy[0].Author != "Ann Author" {
		t.Errorf("theirs by %+v, want the OPS-3 commit by Ann Author", c.TheirsBy)
	}
}
