package radar

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// TestConflictKinds builds one repository per conflict kind (and per prefilter trap) and
// checks the radar against git: the same conflicted paths, and the kind we name.
func TestConflictKinds(t *testing.T) {
	base := lines(40, "l")
	// Two edits far apart in src/app.txt.
	ours5 := func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 5, "ours")) }
	theirs30 := func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 30, "theirs")) }
	// An attributes file, then src/app.txt.
	withAttributes := func(file, text string) func(r *gittest.Repo) {
		return func(r *gittest.Repo) {
			r.Commit(file, text, "attributes")
			r.Commit("src/app.txt", base, "base")
		}
	}
	cases := []struct {
		name      string
		setup     func(r *gittest.Repo)
		a, b      func(r *gittest.Repo)
		kinds     map[string]string // conflicted path -> kind; empty = clean
		decidedBy string
		overlaps  []string
	}{
		{
			name:  "content",
			setup: func(r *gittest.Repo) { r.Commit("src/app.txt", base, "base") },
			a:     func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 10, "ours")) },
			b:     func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 10, "theirs")) },
			kinds: map[string]string{"src/app.txt": KindContent},
		},
		{
			name:  "add/add",
			a:     func(r *gittest.Repo) { r.Write("new.txt", "one\n") },
			b:     func(r *gittest.Repo) { r.Write("new.txt", "two\n") },
			kinds: map[string]string{"new.txt": KindAddAdd},
		},
		{
			name:  "modify/delete",
			setup: func(r *gittest.Repo) { r.Commit("doc.txt", base, "base") },
			a:     func(r *gittest.Repo) { r.Write("doc.txt", replaceLine(base, 3, "changed")) },
			b:     func(r *gittest.Repo) { r.Git("rm", "-q", "doc.txt") },
			kinds: map[string]string{"doc.txt": KindModifyDelete},
		},
		{
			name:  "rename/rename",
			setup: func(r *gittest.Repo) { r.Commit("old.txt", base, "base") },
			a:     func(r *gittest.Repo) { r.Git("mv", "old.txt", "left.txt") },
			b:     func(r *gittest.Repo) { r.Git("mv", "old.txt", "right.txt") },
			kinds: map[string]string{"old.txt": KindRenameRename, "left.txt": KindRenameRename, "right.txt": KindRenameRename},
		},
		{
			name:  "rename/delete",
			setup: func(r *gittest.Repo) { r.Commit("old.txt", base, "base") },
			a:     func(r *gittest.Repo) { r.Git("mv", "old.txt", "moved.txt") },
			b:     func(r *gittest.Repo) { r.Git("rm", "-q", "old.txt") },
			kinds: map[string]string{"moved.txt": KindRenameDelete},
		},
		{
			name:  "file/directory",
			a:     func(r *gittest.Repo) { r.Write("conf", "a file\n") },
			b:     func(r *gittest.Repo) { r.Write("conf/app.yaml", "a folder\n") },
			kinds: map[string]string{"conf": KindFileDirectory},
		},
		{
			name:  "binary",
			setup: func(r *gittest.Repo) { r.Commit("logo.bin", "\x00\x01base", "base") },
			a:     func(r *gittest.Repo) { r.Write("logo.bin", "\x00\x01ours") },
			b:     func(r *gittest.Repo) { r.Write("logo.bin", "\x00\x01theirs") },
			kinds: map[string]string{"logo.bin": KindBinary},
		},
		{
			name: "mode (distinct types)",
			a: func(r *gittest.Repo) {
				if err := os.Symlink("target", filepath.Join(r.Dir, "link")); err != nil {
					t.Fatal(err)
				}
			},
			b:     func(r *gittest.Repo) { r.Write("link", "a regular file\n") },
			kinds: map[string]string{"link": KindMode},
		},
		{
			name: "submodule",
			setup: func(r *gittest.Repo) {
				gitlink(r, "sub", "1111111111111111111111111111111111111111")
				r.Git("commit", "-q", "-m", "sub")
			},
			a:     func(r *gittest.Repo) { gitlink(r, "sub", "2222222222222222222222222222222222222222") },
			b:     func(r *gittest.Repo) { gitlink(r, "sub", "3333333333333333333333333333333333333333") },
			kinds: map[string]string{"sub": KindSubmodule},
		},
		{
			// Trap: no shared path, yet git moves b's new file into a's renamed folder.
			name: "directory rename",
			setup: func(r *gittest.Repo) {
				r.Write("lib/one.txt", "1\n")
				r.Write("lib/two.txt", "2\n")
				r.Commit("lib/three.txt", "3\n", "lib")
			},
			a:     func(r *gittest.Repo) { r.Git("mv", "lib", "pkg") },
			b:     func(r *gittest.Repo) { r.Write("lib/four.txt", "4\n") },
			kinds: map[string]string{"pkg/four.txt": KindDirectoryRename},
		},
		{
			// Trap: a file on one side is a folder prefix of a path on the other.
			name:  "file/directory through a deeper path",
			a:     func(r *gittest.Repo) { r.Write("x/y", "file\n") },
			b:     func(r *gittest.Repo) { r.Write("x/y/z/w.txt", "deep\n") },
			kinds: map[string]string{"x/y": KindFileDirectory},
		},
		{
			name:      "disjoint changes are clean without a merge",
			setup:     func(r *gittest.Repo) { r.Write("a/one.txt", base); r.Commit("b/two.txt", base, "base") },
			a:         func(r *gittest.Repo) { r.Write("a/one.txt", replaceLine(base, 5, "ours")) },
			b:         func(r *gittest.Repo) { r.Write("b/two.txt", replaceLine(base, 5, "theirs")) },
			decidedBy: ByPrefilter,
		},
		{
			name:      "neighbouring lines merge cleanly but overlap",
			setup:     func(r *gittest.Repo) { r.Commit("src/app.txt", base, "base") },
			a:         func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 10, "ours")) },
			b:         func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 12, "theirs")) },
			decidedBy: ByDisjoint,
			overlaps:  []string{"src/app.txt"},
		},
		{
			name:      "far apart lines in one file: clean without a merge, no overlap",
			setup:     func(r *gittest.Repo) { r.Commit("src/app.txt", base, "base") },
			a:         ours5,
			b:         theirs30,
			decidedBy: ByDisjoint,
		},
		{
			name:      "touching lines conflict",
			setup:     func(r *gittest.Repo) { r.Commit("src/app.txt", base, "base") },
			a:         func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 10, "ours")) },
			b:         func(r *gittest.Repo) { r.Write("src/app.txt", replaceLine(base, 11, "theirs")) },
			kinds:     map[string]string{"src/app.txt": KindContent},
			decidedBy: ByMergeTree,
		},
		{
			// Trap: far apart lines, but an attribute makes git refuse to merge the file.
			name:      "far apart lines in a file attributes keep from merging",
			setup:     withAttributes("src/.gitattributes", "*.txt -merge\n"),
			a:         ours5,
			b:         theirs30,
			kinds:     map[string]string{"src/app.txt": KindBinary},
			decidedBy: ByMergeTree,
		},
		{
			// Attributes that only convert contents (text, eol, diff) do not stop the proof.
			name:      "far apart lines with attributes that do not affect merging",
			setup:     withAttributes(".gitattributes", "* text=auto eol=lf\n*.go diff=golang linguist-generated\n"),
			a:         ours5,
			b:         theirs30,
			decidedBy: ByDisjoint,
		},
		{
			// Trap: a macro that unsets merge.
			name:      "far apart lines in a file a macro keeps from merging",
			setup:     withAttributes(".gitattributes", "[attr]frozen -merge\nsrc/*.txt frozen\n"),
			a:         ours5,
			b:         theirs30,
			kinds:     map[string]string{"src/app.txt": KindBinary},
			decidedBy: ByMergeTree,
		},
		{
			// Trap: the same, with the attribute only in the repository's info folder.
			name: "far apart lines in a file info/attributes marks binary",
			setup: func(r *gittest.Repo) {
				r.Write(".git/info/attributes", "*.txt binary\n")
				r.Commit("src/app.txt", base, "base")
			},
			a:         ours5,
			b:         theirs30,
			kinds:     map[string]string{"src/app.txt": KindBinary},
			decidedBy: ByMergeTree,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.NewLocal(t)
			if tc.setup != nil {
				tc.setup(r)
			}
			branch(t, r, "a", "main", "PROJ-1 ours", func() { tc.a(r) })
			branch(t, r, "b", "main", "PROJ-2 theirs", func() { tc.b(r) })
			rep := compare(t, r.Dir, "", "a", "b")
			p := rep.Pairs[0]
			want := gitConflicts(t, r.Dir, "a", "b")
			if got := p.ConflictedPaths(); !slices.Equal(got, want) {
				t.Fatalf("conflicted paths = %q, git says %q", got, want)
			}
			if p.Clean != (len(want) == 0) {
				t.Errorf("clean = %v with git conflicts %q", p.Clean, want)
			}
			for _, c := range p.Conflicts {
				if k, ok := tc.kinds[c.Path]; ok && c.Kind != k {
					t.Errorf("%s: kind %q, want %q (%s)", c.Path, c.Kind, k, c.Message)
				}
				if len(c.OursBy) == 0 || len(c.TheirsBy) == 0 {
					t.Errorf("%s: not attributed: ours %v theirs %v", c.Path, c.OursBy, c.TheirsBy)
				}
			}
			if len(tc.kinds) > 0 && len(p.Conflicts) == 0 {
				t.Errorf("no conflicts, want %v", tc.kinds)
			}
			if tc.decidedBy != "" && p.DecidedBy != tc.decidedBy {
				t.Errorf("decided by %q, want %q", p.DecidedBy, tc.decidedBy)
			}
			var ov []string
			for _, o := range p.Overlaps {
				ov = append(ov, o.Path)
			}
			if !slices.Equal(ov, tc.overlaps) {
				t.Errorf("overlaps = %q, want %q", ov, tc.overlaps)
			}
		})
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
