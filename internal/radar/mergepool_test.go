package radar

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// With git 2.40 or later the pairs git must merge go to merge-tree --stdin in batches;
// every pair must still get what plain git merge-tree says of it.
func TestBatchedMergesAgreeWithGit(t *testing.T) {
	r := gittest.NewLocal(t)
	e := openEngine(t, r.Dir, "")
	if !e.Git.AtLeast(2, 40) {
		t.Skipf("needs git 2.40 or later for merge-tree --stdin; this git is %s (the pair-by-pair path is tested everywhere else)", e.Git.Raw)
	}
	base := lines(40, "l")
	r.Write("doc.txt", base)
	r.Commit("app.txt", base, "base")
	var names []string
	for i, edit := range []func(){
		func() { r.Write("app.txt", replaceLine(base, 10, "one")) },
		func() { r.Write("app.txt", replaceLine(base, 10, "two")) },
		func() { r.Write("app.txt", replaceLine(base, 10, "three")) },
		func() { r.Write("app.txt", replaceLine(base, 9, "three and a half")) },
		func() { r.Git("rm", "-q", "app.txt") },
		func() {
			r.Write("app.txt", replaceLine(base, 11, "four"))
			r.Write("doc.txt", replaceLine(base, 3, "four"))
		},
		func() { r.Write("doc.txt", replaceLine(base, 3, "five")) },
		func() { r.Write("new.txt", "six\n") },
	} {
		n := fmt.Sprintf("k%d", i)
		branch(t, r, n, "main", "PROJ-"+n, edit)
		names = append(names, n)
	}
	rep := compareOn(t, e, names...)
	if e.Stats.Merged <= 2*e.opts.Workers {
		t.Fatalf("only %d pairs went to git: too few for batches of several pairs", e.Stats.Merged)
	}
	for _, p := range rep.Pairs {
		if got, want := p.ConflictedPaths(), gitConflicts(t, r.Dir, p.A, p.B); !slices.Equal(got, want) {
			t.Errorf("%s %s: conflicted %q, git says %q", p.A, p.B, got, want)
		}
	}
}
