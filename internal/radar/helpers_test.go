package radar

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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
	e := newEngine(t, dir, cacheDir)
	defer e.Close() // at once: tests that compare many times would keep every engine's reads
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

// gitlink records a submodule commit; the empty folder is what an uninitialised
// submodule looks like, so `git add -A` leaves it alone.
func gitlink(r *gittest.Repo, path, id string) {
	if err := os.MkdirAll(filepath.Join(r.Dir, path), 0o755); err != nil {
		panic(err)
	}
	r.Git("update-index", "--add", "--cacheinfo", "160000,"+id+","+path)
}

func openEngine(t testing.TB, dir, cacheDir string) *Engine {
	t.Helper()
	e := newEngine(t, dir, cacheDir)
	t.Cleanup(func() { e.Close() })
	return e
}

// newEngine opens an engine on dir with two workers; the caller closes it.
func newEngine(t testing.TB, dir, cacheDir string) *Engine {
	t.Helper()
	return newEngineWith(t, dir, Options{CacheDir: cacheDir})
}

// newEngineWith opens an engine on dir with opts and two workers; the caller closes it.
func newEngineWith(t testing.TB, dir string, opts Options) *Engine {
	t.Helper()
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts.Workers = 2
	e, err := Open(context.Background(), repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// packedRepo makes a repository whose objects are all in one pack, most of them deltas
// (a file edited a line at a time), with a reverse index or without.
func packedRepo(t *testing.T, ofs bool) (r *gittest.Repo, pack string) {
	t.Helper()
	r = gittest.NewLocal(t)
	text := lines(300, "v")
	big := lines(12000, "big") // over 64 KiB: deltas copy it in runs of 0x10000 bytes
	for i := 1; i <= 30; i++ {
		text = replaceLine(text, i*7, fmt.Sprintf("edit %d", i))
		r.Commit("big.txt", text, fmt.Sprintf("edit %d", i))
		r.Commit(fmt.Sprintf("dir%d/small.txt", i%4), fmt.Sprintf("small %d\n", i), "small")
		if i%10 == 0 {
			big = replaceLine(big, i*300, fmt.Sprintf("huge edit %d", i))
			r.Commit("huge.txt", big, "huge")
		}
	}
	r.Git("tag", "-a", "-m", "release", "v1")
	r.Git("-c", "repack.useDeltaBaseOffset="+strconv.FormatBool(ofs), "repack", "-adfq", "--depth=50")
	packs, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "pack-*.pack"))
	if len(packs) != 1 {
		t.Fatalf("want one pack, got %v", packs)
	}
	return r, strings.TrimSuffix(packs[0], ".pack")
}

// showIndex is git's own reading of an index: offset, id and CRC-32 of every object.
func showIndex(t *testing.T, idx string) [][3]string {
	t.Helper()
	f, err := os.Open(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command("git", "show-index")
	cmd.Stdin, cmd.Env = f, gittest.Env()
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var rows [][3]string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var row [3]string
		if _, err := fmt.Sscanf(l, "%s %s (%8s)", &row[0], &row[1], &row[2]); err != nil {
			t.Fatalf("git show-index line %q: %v", l, err)
		}
		rows = append(rows, row)
	}
	return rows
}

// randomText is a file of mostly distinct lines with some that repeat (braces, blank
// lines), the material git's diff slides changes over.
func randomText(rng *rand.Rand, n int) []string {
	common := []string{"}\n", "\n", "return\n", "a\n"}
	out := make([]string, n)
	for i := range out {
		if rng.IntN(2) == 0 {
			out[i] = common[rng.IntN(len(common))]
		} else {
			out[i] = fmt.Sprintf("line %d\n", rng.IntN(1000))
		}
	}
	return out
}

// randomEdit changes, inserts or deletes a few lines at one or two places.
func randomEdit(rng *rand.Rand, base []string, tag string) []string {
	out := append([]string(nil), base...)
	for k := 0; k < 1+rng.IntN(2); k++ {
		at := rng.IntN(len(out) + 1)
		fresh := []string{tag + fmt.Sprintf(" %d\n", rng.IntN(100)), "}\n", "\n", "a\n"}
		switch rng.IntN(3) {
		case 0: // insert
			ins := make([]string, 1+rng.IntN(3))
			for i := range ins {
				ins[i] = fresh[rng.IntN(len(fresh))]
			}
			out = append(out[:at], append(ins, out[at:]...)...)
		case 1: // delete
			if at < len(out) {
				n := min(1+rng.IntN(2), len(out)-at)
				out = append(out[:at], out[at+n:]...)
			}
		default: // replace
			if at < len(out) {
				out[at] = fresh[rng.IntN(len(fresh))]
			}
		}
	}
	return out
}

// checkBasesWithGit fails for each pair of rep whose merge bases are not
// `git merge-base --all`'s.
func checkBasesWithGit(t *testing.T, r *gittest.Repo, rep *Report) {
	t.Helper()
	for _, p := range rep.Pairs {
		want := sorted(strings.Fields(r.Git("merge-base", "--all", p.ACommit, p.BCommit)))
		if !slices.Equal(p.MergeBases, want) {
			t.Errorf("%s and %s: merge bases %v, git says %v", p.A, p.B, p.MergeBases, want)
		}
	}
}
