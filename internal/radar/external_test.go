package radar

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestExternalPairs compares the pairs in $RADAR_PAIRS ("A B" lines) in the repository
// $RADAR_REPO: a hook to profile the radar on a real history
// (go test -run TestExternalPairs -cpuprofile cpu.prof). Skipped unless both are set.
func TestExternalPairs(t *testing.T) {
	dir, pairsFile := os.Getenv("RADAR_REPO"), os.Getenv("RADAR_PAIRS")
	if dir == "" || pairsFile == "" {
		t.Skip("set RADAR_REPO and RADAR_PAIRS to profile on a real repository")
	}
	data, err := os.ReadFile(pairsFile)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var pairs [][2]int
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(l)
		names = append(names, f[0], f[1])
		pairs = append(pairs, [2]int{len(names) - 2, len(names) - 1})
	}
	e := openEngine(t, dir, "")
	refs, err := e.Resolve(names)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Compare(context.Background(), refs, pairs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pairs, stats %+v", len(rep.Pairs), e.Stats)
}

// TestCarryOnRealHistory replays the last $RADAR_MERGES (default 200) two-parent merges
// of $RADAR_REPO as kickoffs that moved: each pair first as it was a few commits before
// the merge (first parents), then at the merge's parents, on one cache, so verdicts are
// carried over wherever the rules allow. Every verdict is checked against git's own
// merge and against a run without a cache. Skipped unless RADAR_REPO is set.
func TestCarryOnRealHistory(t *testing.T) {
	dir := os.Getenv("RADAR_REPO")
	if dir == "" {
		t.Skip("set RADAR_REPO to replay a real repository's merges")
	}
	n := 200
	if v, err := strconv.Atoi(os.Getenv("RADAR_MERGES")); err == nil {
		n = v
	}
	git := func(args ...string) []string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.Fields(string(out))
	}
	merges := git("rev-list", "--merges", "--max-count="+strconv.Itoa(n), "HEAD")
	cacheDir := filepath.Join(t.TempDir(), "state")
	rng := rand.New(rand.NewPCG(1, 2))
	var carried, checked int
	for _, m := range merges {
		ps := git("rev-list", "--parents", "-n1", m)[1:]
		if len(ps) != 2 {
			continue
		}
		// Where each side was before: the merged branch (and sometimes the other side
		// too) a few first parents back.
		before := [2]string{ps[0], ps[1]}
		for i, p := range ps {
			if i == 1 || rng.IntN(4) == 0 {
				back := git("rev-list", "--first-parent", "--max-count="+strconv.Itoa(2+rng.IntN(3)), p)
				before[i] = back[len(back)-1]
			}
		}
		for _, tips := range [][2]string{before, {ps[0], ps[1]}} {
			refs := []RefInfo{{Name: "a", Commit: tips[0]}, {Name: "b", Commit: tips[1]}}
			e := openEngine(t, dir, cacheDir)
			rep, err := e.Compare(context.Background(), refs, AllPairs(2))
			if err != nil {
				t.Fatalf("%s %s: %v", tips[0], tips[1], err)
			}
			carried += e.Stats.Carried
			e.Close()
			fresh := openEngine(t, dir, "")
			want, err := fresh.Compare(context.Background(), refs, AllPairs(2))
			if err != nil {
				t.Fatal(err)
			}
			fresh.Close()
			got := rep.Pairs[0]
			if got.DecidedBy == ByCarried {
				got.DecidedBy = want.Pairs[0].DecidedBy
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want.Pairs[0])
			if string(g) != string(w) {
				t.Errorf("%s %s: differs from a run without the cache:\n got %s\nwant %s", tips[0], tips[1], g, w)
			}
			if gc := gitConflicts(t, dir, tips[0], tips[1]); !slices.Equal(rep.Pairs[0].ConflictedPaths(), gc) {
				t.Errorf("%s %s: conflicted %v, git %v", tips[0], tips[1], rep.Pairs[0].ConflictedPaths(), gc)
			}
			checked++
		}
	}
	t.Logf("%d pairs checked against git and a run without the cache, %d verdicts carried over", checked, carried)
}
