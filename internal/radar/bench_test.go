package radar

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/radar/synthrepo"
)

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchRepo builds the synthetic repository once per test binary run: a smaller one by
// default, the full 20,000 files with RADAR_BENCH_FULL=1 (scripts/bench-conflicts.sh
// measures that one against git).
func benchRepo(b *testing.B) string {
	benchOnce.Do(func() {
		o := synthrepo.Options{Services: 10, Modules: 5, Packages: 5, FilesPerPackage: 10, Kickoffs: 10, MinChanged: 20, MaxChanged: 200, Lines: 40}
		if os.Getenv("RADAR_BENCH_FULL") == "1" {
			o = synthrepo.Default
		}
		dir, err := os.MkdirTemp("", "radar-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchDir = dir
		cmd := exec.Command("git", "init", "-q", dir)
		cmd.Env = gittest.Env()
		if out, err := cmd.CombinedOutput(); err != nil {
			benchErr = err
			b.Log(string(out))
			return
		}
		imp := exec.Command("git", "fast-import", "--quiet")
		imp.Dir, imp.Env = dir, gittest.Env()
		w, _ := imp.StdinPipe()
		if err := imp.Start(); err != nil {
			benchErr = err
			return
		}
		if err := synthrepo.Write(w, o); err != nil {
			benchErr = err
		}
		w.Close()
		if err := imp.Wait(); err != nil && benchErr == nil {
			benchErr = err
		}
		// As scripts/bench-conflicts.sh: fast-import's packs are not what a clone gets.
		repack := exec.Command("git", "repack", "-adfq")
		repack.Dir, repack.Env = dir, gittest.Env()
		if out, err := repack.CombinedOutput(); err != nil && benchErr == nil {
			benchErr = err
			b.Log(string(out))
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

func benchRefs(b *testing.B, dir string) []string {
	out, err := exec.Command("git", "-C", dir, "for-each-ref", "--format=%(refname:short)", "refs/heads/kickoff-*").Output()
	if err != nil {
		b.Fatal(err)
	}
	return append([]string{"main"}, strings.Fields(string(out))...)
}

// runEngine opens a fresh engine on dir (cacheDir "" for none), compares every pair of
// names and closes it, as one `kickoff conflicts` does; it returns how pairs were decided.
func runEngine(b *testing.B, dir, cacheDir string, names []string) Stats {
	e := openEngine(b, dir, cacheDir)
	compareOn(b, e, names...)
	e.Close() // now, not at the end of the benchmark: each engine holds its caches
	return e.Stats
}

// BenchmarkMatrix: the full pairwise matrix without a cache (every pair decided).
func BenchmarkMatrix(b *testing.B) {
	dir := benchRepo(b)
	names := benchRefs(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A fresh engine each time, without a cache: a first run, as a new process makes it.
		runEngine(b, dir, "", names)
	}
	b.ReportMetric(float64(len(AllPairs(len(names)))), "pairs")
}

// BenchmarkGitLoop is the reference: plain git merge-tree over the same pairs, one by one.
func BenchmarkGitLoop(b *testing.B) {
	dir := benchRepo(b)
	names := benchRefs(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range AllPairs(len(names)) {
			cmd := exec.Command("git", "merge-tree", "--write-tree", "--name-only", names[p[0]], names[p[1]])
			cmd.Dir = dir
			if err := cmd.Run(); err != nil {
				if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkMatrixCached: the matrix again with a warm cache (every pair read back).
func BenchmarkMatrixCached(b *testing.B) {
	dir := benchRepo(b)
	names := benchRefs(b, dir)
	cacheDir := filepath.Join(b.TempDir(), "state")
	e := openEngine(b, dir, cacheDir)
	refs, _ := e.Resolve(names)
	if _, err := e.Compare(context.Background(), refs, AllPairs(len(refs))); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Compare(context.Background(), refs, AllPairs(len(refs))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRerunAfterMove: a run with the cache the first run left, after one kickoff
// moved by a commit editing one of its files, as scripts/bench-conflicts.sh does (there
// the edited file is also changed by another kickoff, so that pair is merged again).
// Each iteration opens a fresh engine on a copy of that cache. Compare with
// BenchmarkMatrix: the ratio is the re-run's speed-up without a process to start.
func BenchmarkRerunAfterMove(b *testing.B) {
	dir := benchRepo(b)
	names := benchRefs(b, dir)
	state := filepath.Join(b.TempDir(), "first")
	runEngine(b, dir, state, names)
	first, err := os.ReadFile(filepath.Join(state, CacheFile))
	if err != nil {
		b.Fatal(err)
	}
	git := func(stdin string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, append(gittest.Env(), "GIT_INDEX_FILE="+filepath.Join(state, "index"))
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	k := names[8]
	tip := git("", "rev-parse", k)
	f := strings.Fields(git("", "diff", "--name-only", "main..."+k))[0]
	blob := git(git("", "show", k+":"+f)+"\n// moved\n", "hash-object", "-w", "--stdin")
	git("", "read-tree", k)
	git("", "update-index", "--cacheinfo", "100644,"+blob+","+f)
	moved := git("", "commit-tree", git("", "write-tree"), "-p", k, "-m", "move")
	git("", "update-ref", "refs/heads/"+k, moved)
	b.Cleanup(func() { git("", "update-ref", "refs/heads/"+k, tip) })
	var st Stats
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cacheDir := filepath.Join(b.TempDir(), "state")
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cacheDir, CacheFile), first, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st = runEngine(b, dir, cacheDir, names)
	}
	b.ReportMetric(float64(st.Carried), "carried")
	b.ReportMetric(float64(st.Merged+st.Disjoint+st.Prefiltered), "decided")
}
