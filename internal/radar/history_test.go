package radar

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func openEngine(t testing.TB, dir, cacheDir string) *Engine {
	t.Helper()
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Open(context.Background(), repo, Options{CacheDir: cacheDir, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestMergeBasesMatchGit builds a random history with many merges (criss-crosses among
// them) and checks every pair's merge bases against `git merge-base --all`.
func TestMergeBasesMatchGit(t *testing.T) {
	r := gittest.NewLocal(t)
	rng := rand.New(rand.NewSource(4))
	branches := []string{"main"}
	for i := 0; i < 5; i++ {
		b := fmt.Sprintf("b%d", i)
		r.Git("branch", b, "main")
		branches = append(branches, b)
	}
	for step := 0; step < 60; step++ {
		b := branches[rng.Intn(len(branches))]
		r.Git("checkout", "-q", b)
		if rng.Intn(3) == 0 {
			other := branches[rng.Intn(len(branches))]
			if other != b {
				r.Git("merge", "-q", "--no-ff", "--no-edit", "-s", "ours", other)
				continue
			}
		}
		r.Commit(fmt.Sprintf("f%d.txt", step), fmt.Sprintf("%d\n", step), fmt.Sprintf("step %d", step))
	}
	r.Git("checkout", "-q", "main")
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

// TestCacheRecomputesOnlyMovedPairs: a second run reads every pair from the cache; after
// one ref moves, only its pairs are merged again.
func TestCacheRecomputesOnlyMovedPairs(t *testing.T) {
	r := gittest.NewLocal(t)
	base := lines(20, "k")
	r.Commit("shared.txt", base, "base")
	names := []string{"main"}
	for i := 0; i < 4; i++ {
		n := fmt.Sprintf("k%d", i)
		branch(t, r, n, "main", "edit "+n, func() {
			r.Write("shared.txt", replaceLine(base, 1+i*5, n))
			r.Write(n+".txt", n)
		})
		names = append(names, n)
	}
	cacheDir := filepath.Join(t.TempDir(), "state")
	e := openEngine(t, r.Dir, cacheDir)
	refs, _ := e.Resolve(names)
	first, err := e.Compare(context.Background(), refs, AllPairs(len(refs)))
	if err != nil {
		t.Fatal(err)
	}
	if e.Stats.Cached != 0 || e.Stats.Merged+e.Stats.Disjoint == 0 {
		t.Fatalf("first run stats %+v", e.Stats)
	}
	e.Close()

	e = openEngine(t, r.Dir, cacheDir)
	refs, _ = e.Resolve(names)
	second, err := e.Compare(context.Background(), refs, AllPairs(len(refs)))
	if err != nil {
		t.Fatal(err)
	}
	if e.Stats.Cached != 10 {
		t.Errorf("second run: %+v, want all 10 pairs from the cache", e.Stats)
	}
	for i := range first.Pairs {
		if first.Pairs[i].Summary() != second.Pairs[i].Summary() {
			t.Errorf("pair %d: %s then %s", i, first.Pairs[i].Summary(), second.Pairs[i].Summary())
		}
	}
	e.Close()

	r.Git("checkout", "-q", "k2")
	oldTip := plumbing.NewHash(r.Git("rev-parse", "HEAD"))
	newTip := plumbing.NewHash(r.Commit("k2.txt", "moved", "k2 moves"))
	r.Git("checkout", "-q", "main")
	e = openEngine(t, r.Dir, cacheDir)
	refs, _ = e.Resolve(names)
	if _, err := e.Compare(context.Background(), refs, AllPairs(len(refs))); err != nil {
		t.Fatal(err)
	}
	if e.Stats.Cached != 6 || e.Stats.Merged+e.Stats.Disjoint+e.Stats.Prefiltered != 4 {
		t.Errorf("after k2 moved: %+v, want 6 cached and k2's 4 pairs recomputed", e.Stats)
	}
	// k2's changes are its changes at the last run plus its new commit: one small diff.
	if _, ok := e.sets[[2]plumbing.Hash{newTip, oldTip}]; e.Stats.Diffed != 1 || !ok {
		t.Errorf("after k2 moved: %d diffs (its new commit alone diffed: %v), want just that one", e.Stats.Diffed, ok)
	}
}

func TestBadInput(t *testing.T) {
	t.Run("unknown ref", func(t *testing.T) {
		r := gittest.NewLocal(t)
		e := openEngine(t, r.Dir, "")
		_, err := e.Resolve([]string{"main", "no-such-branch"})
		if err == nil || !strings.Contains(err.Error(), `unknown ref "no-such-branch"`) {
			t.Errorf("err = %v", err)
		}
	})
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

func TestParseGitVersion(t *testing.T) {
	for _, tc := range []struct {
		out  string
		ok   bool
		want GitVersion
	}{
		{"git version 2.39.5\n", true, GitVersion{2, 39, "2.39.5"}},
		{"git version 2.38.0.windows.1", true, GitVersion{2, 38, "2.38.0.windows.1"}},
		{"git version 2.37.1 (Apple Git-137.1)", false, GitVersion{2, 37, "2.37.1 (Apple Git-137.1)"}},
		{"git version 3.0.0", true, GitVersion{3, 0, "3.0.0"}},
	} {
		v, err := ParseGitVersion(tc.out)
		if err != nil || v != tc.want {
			t.Errorf("%q: %+v %v", tc.out, v, err)
		}
		if v.AtLeast(MinGit[0], MinGit[1]) != tc.ok {
			t.Errorf("%q: AtLeast = %v", tc.out, !tc.ok)
		}
	}
	if _, err := ParseGitVersion("hello"); err == nil {
		t.Error("garbage parsed")
	}
}

// A change set read back from the cache is the one written, whatever it holds.
func TestChangeSetCacheForm(t *testing.T) {
	for _, cs := range []ChangeSet{
		{Paths: []string{}},
		{Paths: []string{"a.txt", "dir/with space/b.go", "odd\nname"}},
		{Paths: []string{}, RemovedDirs: []string{"gone", "also/gone"}},
		{Paths: []string{"x"}, RemovedDirs: []string{"y"}},
	} {
		data, err := cs.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got ChangeSet
		if err := got.UnmarshalBinary(data); err != nil {
			t.Fatalf("%+v: %v", cs, err)
		}
		if !slices.Equal(got.Paths, cs.Paths) || !slices.Equal(got.RemovedDirs, cs.RemovedDirs) || got.Paths == nil {
			t.Errorf("read back %#v, wrote %#v", got, cs)
		}
	}
	var cs ChangeSet
	if cs.UnmarshalBinary([]byte("no terminator")) == nil {
		t.Error("a malformed entry was read as a change set")
	}
}

// The output of git merge-tree --stdin (as git 2.47 writes it): a conflicted merge with
// its messages, then a clean one.
func TestParseMergeTreesStdin(t *testing.T) {
	tree1, tree2 := strings.Repeat("a", 40), strings.Repeat("b", 40)
	out := "0\x00" + tree1 + "\x00app.txt\x00\x00" +
		"1\x00app.txt\x00Auto-merging\x00Auto-merging app.txt\n\x00" +
		"1\x00app.txt\x00CONFLICT (contents)\x00CONFLICT (content): Merge conflict in app.txt\n\x00\x00" +
		"1\x00" + tree2 + "\x00\x00\x00"
	pairs := [][2]string{{"a1", "b1"}, {"a2", "b2"}}
	rs, err := parseMergeTrees(out, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Tree != tree1 || !slices.Equal(rs[0].Conflicted, []string{"app.txt"}) ||
		len(rs[0].Messages) != 2 || kindOf(rs[0].Messages[1]) != KindContent ||
		rs[1].Tree != tree2 || len(rs[1].Conflicted) != 0 || len(rs[1].Messages) != 0 {
		t.Fatalf("parsed %+v %+v", rs[0], rs[1])
	}
	if _, err := parseMergeTrees(out, append(pairs, [2]string{"a3", "b3"})); err == nil {
		t.Error("output for two merges was read as three")
	}
	if _, err := parseMergeTrees(strings.Replace(out, "0\x00", "1\x00", 1), pairs); err == nil {
		t.Error("a clean status with a conflicted file was accepted")
	}
}

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
