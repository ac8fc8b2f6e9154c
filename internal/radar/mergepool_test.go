package radar

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// With git 2.40 or later the pairs git must merge go to merge-tree --stdin in batches;
// every pair must still get what plain git merge-tree says of it.
func TestBatchedMergesAgreeWithGit(t *testing.T) {
	r := gittest.NewLocal(t)
	e := openEngine(t, r.Dir, "")
	if v, err := CheckGit(context.Background()); err != nil || !v.AtLeast(2, 40) {
		t.Skipf("needs git 2.40 or later for merge-tree --stdin; this git is %s (the pair-by-pair path is tested everywhere else)", v.Raw)
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

// TestSmallRunMergesEarly: a pull request's check (a pair or a few) starts git merge-tree
// at once, while the radar finds the merge bases and tries its prefilter and line proof.
// A pair those cannot decide takes that merge (git merges it once; the verdict is git's),
// a pair they decide has it stopped, and a bare repository (whose merges need the trees'
// attributes) merges after them, as a run with many pairs does.
func TestSmallRunMergesEarly(t *testing.T) {
	r := gittest.NewLocal(t)
	base := lines(30, "l")
	r.Commit("app.txt", base, "base")
	branch(t, r, "one", "main", "one", func() { r.Write("app.txt", replaceLine(base, 10, "one")) })
	branch(t, r, "two", "main", "two", func() { r.Write("app.txt", replaceLine(base, 10, "two")) })
	branch(t, r, "apart", "main", "apart", func() { r.Write("other.txt", "other\n") })
	bare := filepath.Join(t.TempDir(), "bare.git")
	r.Git("clone", "-q", "--bare", r.Dir, bare)

	merges := func(dir string, names ...string) (rep *Report, st Stats, n int) {
		t.Helper()
		log := captureLog(slog.LevelDebug, func() {
			e := newEngine(t, dir, "")
			defer e.Close()
			rep, st = compareOn(t, e, names...), e.Stats
		})
		return rep, st, strings.Count(log, "merge-tree --write-tree")
	}
	for _, dir := range []string{r.Dir, bare} {
		early := min(1, runtime.GOMAXPROCS(0)-1) // none on a single CPU (or a quota of one)
		if dir == bare {
			early = 0
		}
		rep, st, n := merges(dir, "one", "two")
		if rep.Clean() || st.Merged != 1 || st.Early != early || n != 1 {
			t.Errorf("%s: conflicting pair: %s, stats %+v, git merge-tree run %d times", dir, rep.Pairs[0].Summary(), st, n)
		}
		if cs := rep.Pairs[0].Conflicts; len(cs) != 1 || cs[0].Path != "app.txt" {
			t.Errorf("%s: conflicts %+v, want app.txt", dir, cs)
		}
		rep, st, n = merges(dir, "one", "apart")
		if !rep.Clean() || st.Prefiltered != 1 || st.Merged != 0 || st.Early != early || n > early {
			t.Errorf("%s: pair apart: %s, stats %+v, git merge-tree run %d times", dir, rep.Pairs[0].Summary(), st, n)
		}
	}
	// Six pairs: more than a check has; they merge after the in-process phases.
	if _, st, n := merges(r.Dir, "main", "one", "two", "apart"); st.Early != 0 || n != st.Merged {
		t.Errorf("six pairs: stats %+v, git merge-tree run %d times", st, n)
	}
}
