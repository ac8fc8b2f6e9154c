package radar

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// branch makes branch name from start, runs change in it, commits, and returns to main.
func branch(t testing.TB, r *gittest.Repo, name, start, msg string, change func()) {
	t.Helper()
	r.Git("checkout", "-q", "-b", name, start)
	change()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "-m", msg)
	r.Git("checkout", "-q", "main")
}

func lines(n int, prefix string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(prefix)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(" line ")
		b.WriteString(strings.Repeat("y", i%5))
		b.WriteString("\n")
	}
	return b.String()
}

func replaceLine(text string, n int, with string) string {
	ls := strings.SplitAfter(text, "\n")
	ls[n-1] = with + "\n"
	return strings.Join(ls, "")
}

// gitConflicts is the oracle: plain git merge-tree --name-only on the pair.
func gitConflicts(t testing.TB, dir, a, b string) []string {
	t.Helper()
	cmd := exec.Command("git", "merge-tree", "--write-tree", "--name-only", "--no-messages", a, b)
	cmd.Dir = dir
	cmd.Env = gittest.Env()
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		t.Fatalf("git merge-tree: %v", err)
	}
	ls := strings.Split(strings.TrimSpace(string(out)), "\n")[1:]
	slices.Sort(ls)
	return slices.Compact(ls)
}

func compare(t testing.TB, dir string, cacheDir string, names ...string) *Report {
	t.Helper()
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Open(context.Background(), repo, Options{CacheDir: cacheDir, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	return compareOn(t, e, names...)
}

// compareOn resolves names with e and compares every pair.
func compareOn(t testing.TB, e *Engine, names ...string) *Report {
	t.Helper()
	refs, err := e.Resolve(names)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Compare(context.Background(), refs, AllPairs(len(refs)))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

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

// gitlink records a submodule commit; the empty folder is what an uninitialised
// submodule looks like, so `git add -A` leaves it alone.
func gitlink(r *gittest.Repo, path, id string) {
	if err := os.MkdirAll(filepath.Join(r.Dir, path), 0o755); err != nil {
		panic(err)
	}
	r.Git("update-index", "--add", "--cacheinfo", "160000,"+id+","+path)
}
