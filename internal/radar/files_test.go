package radar

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// A file past MaxTextBytes still conflicts and is attributed (whole file), with no
// line ranges: the radar does no line work on it.
func TestHugeFiles(t *testing.T) {
	t.Run("huge and binary files", func(t *testing.T) {
		r := gittest.NewLocal(t)
		huge := strings.Repeat("0123456789abcdef\n", (MaxTextBytes/17)+10)
		r.Commit("huge.txt", huge, "huge")
		branch(t, r, "a", "main", "a", func() { r.Write("huge.txt", "a\n"+huge) })
		branch(t, r, "b", "main", "b", func() { r.Write("huge.txt", "b\n"+huge) })
		rep := compare(t, r.Dir, "", "a", "b")
		p := rep.Pairs[0]
		if p.Clean || p.Conflicts[0].Path != "huge.txt" {
			t.Fatalf("want a conflict on huge.txt: %+v", p)
		}
		if len(p.Conflicts[0].Ours) != 0 {
			t.Errorf("no line ranges expected past %d bytes, got %v", MaxTextBytes, p.Conflicts[0].Ours)
		}
		if len(p.Conflicts[0].OursBy) == 0 {
			t.Error("the conflict is still attributed (whole file)")
		}
	})
}
