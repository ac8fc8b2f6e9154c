package radar

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// TestMergeBasesMatchGit builds a random history with many merges (criss-crosses among
// them) and checks every pair's merge bases against `git merge-base --all`.
func TestMergeBasesMatchGit(t *testing.T) {
	r, branches := branchyHistory(t, 4, 60, false)
	e := openEngine(t, r.Dir, "")
	multi := 0
	for i, a := range branches {
		for _, b := range branches[i+1:] {
			out := r.Git("merge-base", "--all", a, b)
			want := strings.Fields(out)
			slices.Sort(want)
			ha, hb := plumbing.NewHash(r.Git("rev-parse", a)), plumbing.NewHash(r.Git("rev-parse", b))
			got, err := e.graph.MergeBases(ha, hb)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(hashStrings(got), want) {
				t.Errorf("merge bases of %s and %s = %v, git says %v", a, b, hashStrings(got), want)
			}
			if len(want) > 1 {
				multi++
			}
		}
	}
	t.Logf("%d pairs had several merge bases", multi)
}

// TestCrissCross: two branches that merged each other have two merge bases; the radar's
// verdicts (prefiltered or merged) still equal git's.
func TestCrissCross(t *testing.T) {
	r := gittest.NewLocal(t)
	base := lines(30, "c")
	r.Commit("shared.txt", base, "base")
	r.Commit("other.txt", base, "base 2")
	r.Git("branch", "x")
	r.Git("branch", "y")
	r.Git("checkout", "-q", "x")
	r.Commit("shared.txt", replaceLine(base, 5, "x5"), "x edits")
	r.Git("checkout", "-q", "y")
	r.Commit("shared.txt", replaceLine(base, 25, "y25"), "y edits")
	r.Git("checkout", "-q", "x")
	r.Git("merge", "-q", "--no-edit", "y~0")
	r.Git("checkout", "-q", "y")
	r.Git("merge", "-q", "--no-edit", "x~1")
	// Now each side changes different things after the criss-cross.
	r.Git("checkout", "-q", "x")
	r.Commit("shared.txt", replaceLine(replaceLine(base, 5, "x5"), 15, "x15"), "x again")
	r.Git("checkout", "-q", "y")
	r.Commit("other.txt", replaceLine(base, 15, "y15"), "y other")
	r.Commit("shared.txt", replaceLine(replaceLine(replaceLine(base, 5, "x5"), 25, "y25"), 15, "y15"), "y again")
	r.Git("checkout", "-q", "main")
	if n := len(strings.Fields(r.Git("merge-base", "--all", "x", "y"))); n != 2 {
		t.Fatalf("setup: want a criss-cross with 2 merge bases, git has %d", n)
	}
	rep := compare(t, r.Dir, "", "x", "y", "main")
	for _, p := range rep.Pairs {
		want := gitConflicts(t, r.Dir, p.A, p.B)
		if got := p.ConflictedPaths(); !slices.Equal(got, want) {
			t.Errorf("%s x %s: conflicted %q, git says %q", p.A, p.B, got, want)
		}
	}
	xy := rep.Pairs[0]
	if len(xy.MergeBases) != 2 {
		t.Errorf("x and y: merge bases %v, want 2", xy.MergeBases)
	}
	if xy.Clean || xy.Conflicts[0].Path != "shared.txt" {
		t.Errorf("x and y should conflict on shared.txt: %+v", xy)
	}
}

// Pairs without a merge base are errors that say why.
func TestMergeBaseErrors(t *testing.T) {
	t.Run("unrelated histories", func(t *testing.T) {
		r := gittest.NewLocal(t)
		r.Git("checkout", "-q", "--orphan", "island")
		r.Commit("island.txt", "alone\n", "island")
		r.Git("checkout", "-q", "main")
		e := openEngine(t, r.Dir, "")
		refs, err := e.Resolve([]string{"main", "island"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Compare(context.Background(), refs, AllPairs(2))
		if err == nil || !strings.Contains(err.Error(), "unrelated histories") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("shallow clone without the merge base", func(t *testing.T) {
		r := gittest.New(t)
		r.Commit("a.txt", "1\n", "main 1")
		r.Git("checkout", "-q", "-b", "kickoff-x")
		r.Commit("x.txt", "x\n", "x")
		r.Git("push", "-q", "origin", "kickoff-x")
		r.Git("checkout", "-q", "main")
		for i := 0; i < 3; i++ {
			r.Commit("a.txt", fmt.Sprintf("%d\n", i+2), "main more")
		}
		r.Git("push", "-q", "origin", "main")
		clone := filepath.Join(t.TempDir(), "shallow")
		cmd := exec.Command("git", "clone", "-q", "--depth", "1", "--no-single-branch", "file://"+r.Remote, clone)
		cmd.Env = gittest.Env()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("clone: %v %s", err, out)
		}
		e := openEngine(t, clone, "")
		refs, err := e.Resolve([]string{"main", "kickoff-x"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Compare(context.Background(), refs, AllPairs(2))
		var se *ShallowError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "git fetch --unshallow") {
			t.Errorf("err = %v, want a shallow-clone explanation", err)
		}
	})
}

// TestMergeBasesCarriedFromParent: after a run, branches move (single commits, a merge
// then a commit, a branch another one already merged, a branch fast-forwarded along
// another's commits), and a re-run with the same cache takes the merge bases of the branches that
// only gained single-parent commits from the last run's, with no walk; every pair's
// merge bases still equal `git merge-base --all`.
func TestMergeBasesCarriedFromParent(t *testing.T) {
	r, branches := branchyHistory(t, 11, 40, false)
	// b5 is b3's tip; b3 gains two commits; later b5 fast-forwards by one of them, so its
	// old tip is an ancestor of b3 and its merge bases with b3 change to its new tip.
	r.Git("checkout", "-q", "b3")
	r.Git("branch", "b5")
	r.Commit("b3.txt", "1\n", "b3 one")
	r.Commit("b3.txt", "2\n", "b3 two")
	branches = append(branches, "b5")
	cacheDir := t.TempDir()
	run := func(names ...string) (*Report, Stats) {
		e := newEngine(t, r.Dir, cacheDir)
		defer e.Close()
		rep := compareOn(t, e, names...)
		return rep, e.Stats
	}
	rep, _ := run(branches...)
	checkBasesWithGit(t, r, rep)
	old := map[string]string{}
	for _, b := range branches {
		old[b] = r.Git("rev-parse", b)
	}
	isAncestor := func(x, y string) bool {
		return exec.Command("git", "-C", r.Dir, "merge-base", "--is-ancestor", x, y).Run() == nil
	}

	r.Git("checkout", "-q", "b1") // three single-parent commits: carried
	for i := 0; i < 3; i++ {
		r.Commit("b1.txt", fmt.Sprintf("%d\n", i), fmt.Sprintf("b1 moves %d", i))
	}
	r.Git("checkout", "-q", "b2") // a merge, then a commit: walked
	r.Git("merge", "-q", "--no-ff", "--no-edit", "-s", "ours", "b3")
	r.Commit("b2.txt", "x\n", "b2 after merging b3")
	r.Git("checkout", "-q", "main") // main merges b4, then b4 moves: b4 vs main is walked
	r.Git("merge", "-q", "--no-ff", "--no-edit", "-s", "ours", "b4")
	r.Git("checkout", "-q", "b4")
	r.Commit("b4.txt", "x\n", "b4 after main merged it")
	r.Git("branch", "-f", "b5", "b3~1")
	r.Git("checkout", "-q", "main")
	rep, st := run(branches...)
	checkBasesWithGit(t, r, rep)
	// Carried: the pairs of b1 and b4 (moved by single-parent commits) with b0, b3 (where
	// they were) and each other, unless one old tip is an ancestor of the other. main and
	// b2 moved through a merge: their pairs are walked.
	want := 0
	for _, p := range [][2]string{{"b1", "b0"}, {"b1", "b3"}, {"b4", "b0"}, {"b4", "b3"}, {"b1", "b4"}} {
		x, y := old[p[0]], old[p[1]]
		if !isAncestor(x, y) && (p[1] != "b4" || !isAncestor(y, x)) {
			want++
		}
	}
	if want == 0 {
		t.Fatal("setup: no pair can carry its merge bases; change the seed")
	}
	if st.BasesCarried < want {
		t.Errorf("merge bases carried from the last run: %d, want at least those %d pairs'", st.BasesCarried, want)
	}
}

// rawValue is stored in the cache as is (a damaged entry, for tests).
type rawValue []byte

func (r rawValue) MarshalBinary() ([]byte, error) { return r, nil }

// TestCommitsFromCache: the commits a run's merge-base walks read come from the radar
// cache in later runs (a history with no commit-graph: cli/cli's 20 live branches read
// some 250), so a re-run whose walk covers them reads only the commits that are new; the
// bases still equal git's, and a damaged entry is read from its object again.
func TestCommitsFromCache(t *testing.T) {
	r, branches := skewedHistory(t)
	cacheDir := t.TempDir()
	run := func(names ...string) (*Report, int) {
		e := newEngine(t, r.Dir, cacheDir)
		defer e.Close()
		rep := compareOn(t, e, names...)
		return rep, e.graph.read
	}
	rep, first := run(branches...)
	checkBasesWithGit(t, r, rep)
	if first == 0 {
		t.Fatal("setup: the first run read no commit")
	}
	// Two tips that were compared with others but not with each other as these commits:
	// a new commit on b1 and on b3 make new pairs whose walks go through known commits.
	for _, b := range []string{"b1", "b3"} {
		r.Git("checkout", "-q", b)
		r.Git("merge", "-q", "--no-ff", "--no-edit", "-s", "ours", "main")
	}
	r.Git("checkout", "-q", "main")
	rep, again := run(branches...)
	checkBasesWithGit(t, r, rep)
	if again > 2 {
		t.Errorf("the re-run read %d commits from their objects, want only the 2 new merges (the first run read %d)", again, first)
	}

	// Damage every cached commit: the walk reads the objects again, with the same bases.
	c, err := openCache(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]any{}
	for _, b := range branches {
		bad[r.Git("rev-parse", b)] = rawValue("short")
	}
	if err := c.putAll(bucketCommits, bad); err != nil {
		t.Fatal(err)
	}
	c.Close()
	for _, b := range []string{"b2", "b4"} {
		r.Git("checkout", "-q", b)
		r.Git("merge", "-q", "--no-ff", "--no-edit", "-s", "ours", "main")
	}
	r.Git("checkout", "-q", "main")
	rep, _ = run(branches...)
	checkBasesWithGit(t, r, rep)
}
