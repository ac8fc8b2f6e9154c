package radar

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// skewedHistory builds branches that merge each other (criss-crosses among them) with
// committer dates out of order, where a date-ordered walk meets commits late.
func skewedHistory(t *testing.T) (*gittest.Repo, []string) { return branchyHistory(t, 7, 80, true) }

// branchyHistory is main and five branches b0..b4 made from it, then steps random steps:
// a commit on a branch, or (one in three) a merge of another branch into it (-s ours: no
// conflicts), which makes criss-crosses. With skew, committer dates jump back and forth by
// up to a day around a slow drift forward.
func branchyHistory(t *testing.T, seed int64, steps int, skew bool) (*gittest.Repo, []string) {
	r := gittest.NewLocal(t)
	rng := rand.New(rand.NewSource(seed))
	branches := []string{"main"}
	for i := 0; i < 5; i++ {
		b := fmt.Sprintf("b%d", i)
		r.Git("branch", b, "main")
		branches = append(branches, b)
	}
	for step := 0; step < steps; step++ {
		if skew {
			t.Setenv("GIT_COMMITTER_DATE", fmt.Sprintf("%d +0000", 1_700_000_000+step*600+rng.Intn(86_400)-43_200))
		}
		b := branches[rng.Intn(len(branches))]
		r.Git("checkout", "-q", b)
		if other := branches[rng.Intn(len(branches))]; other != b && rng.Intn(3) == 0 {
			r.Git("merge", "-q", "--no-ff", "--no-edit", "-s", "ours", other)
			continue
		}
		r.Commit(fmt.Sprintf("f%d.txt", step), fmt.Sprintf("%d\n", step), fmt.Sprintf("step %d", step))
	}
	r.Git("checkout", "-q", "main")
	return r, branches
}

// TestMergeBasesFromGraphMatchGit: with kickoff's commit-graph, with the repository's
// own, and with none, every pair's merge bases are `git merge-base --all`'s (asked while
// the repository has no graph, so generation numbers play no part in the answer).
func TestMergeBasesFromGraphMatchGit(t *testing.T) {
	r, branches := skewedHistory(t)
	type pair struct{ a, b plumbing.Hash }
	want := map[pair][]string{}
	var tips []plumbing.Hash
	multi := 0
	for i, a := range branches {
		ha := plumbing.NewHash(r.Git("rev-parse", a))
		tips = append(tips, ha)
		for _, b := range branches[i+1:] {
			hb := plumbing.NewHash(r.Git("rev-parse", b))
			w := strings.Fields(r.Git("merge-base", "--all", a, b))
			slices.Sort(w)
			want[pair{ha, hb}] = w
			if len(w) > 1 {
				multi++
			}
		}
	}
	if multi == 0 {
		t.Fatal("setup: no pair has several merge bases")
	}
	check := func(name string, bases func(a, b plumbing.Hash) ([]plumbing.Hash, error)) {
		t.Helper()
		for p, w := range want {
			got, err := bases(p.a, p.b)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.Equal(hashStrings(got), w) {
				t.Errorf("%s: merge bases of %s and %s = %v, git says %v", name, gitrepo.ShortID(p.a.String()), gitrepo.ShortID(p.b.String()), hashStrings(got), w)
			}
		}
	}
	e := openEngine(t, r.Dir, "")
	e.loadGraph()
	if e.cg != nil {
		t.Fatal("a fresh repository has no commit-graph")
	}
	check("objects", e.graph.MergeBases)
	check("git merge-base", e.gitMergeBases)

	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := writeOwnGraph(context.Background(), repo, tips)
	if err != nil {
		t.Fatal(err)
	}
	g.Close()
	own := openEngine(t, r.Dir, "")
	own.loadGraph()
	if own.cg == nil || !own.cg.own || !own.cg.covers(tips) {
		t.Fatal("kickoff's commit-graph was not opened, or lacks the tips")
	}
	check("kickoff's graph", own.graph.MergeBases)

	r.Git("commit-graph", "write", "--reachable")
	theirs := openEngine(t, r.Dir, "")
	theirs.loadGraph()
	if theirs.cg == nil || theirs.cg.own {
		t.Fatal("the repository's commit-graph was not preferred")
	}
	check("the repository's graph", theirs.graph.MergeBases)
}

// TestDamagedGraphIsSetAside: kickoff's commit-graph is untrusted on read. A flipped
// byte, a truncated layer, a chain naming garbage or a symlink are each reported with the
// file's name, deleted, and the merge bases still come out right; the next run with many
// pairs writes the graph again.
func TestDamagedGraphIsSetAside(t *testing.T) {
	r, branches := skewedHistory(t)
	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	layers := filepath.Join(graphDir(repo.CommonDir), "info", "commit-graphs")
	layer := func() string {
		m, _ := filepath.Glob(filepath.Join(layers, "graph-*.graph"))
		if len(m) == 0 {
			t.Fatal("no graph layer written")
		}
		return m[0]
	}
	chain := filepath.Join(layers, "commit-graph-chain")
	damages := map[string]func(){
		"flipped byte": func() {
			p := layer()
			data, _ := os.ReadFile(p)
			data[len(data)/2] ^= 0xff
			os.Chmod(p, 0o644)
			os.WriteFile(p, data, 0o644)
		},
		"truncated": func() {
			p := layer()
			os.Chmod(p, 0o644)
			os.Truncate(p, 100)
		},
		"garbage chain": func() {
			os.Chmod(chain, 0o644)
			os.WriteFile(chain, []byte("\x00\x01garbage\n"), 0o644)
		},
		"symlink": func() {
			p := layer()
			os.Rename(p, p+".real")
			os.Symlink(p+".real", p)
		},
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			os.RemoveAll(filepath.Join(repo.CommonDir, "kickoff"))
			refs := compareLong(t, r.Dir, branches...).Refs
			if _, err := os.Stat(chain); err != nil {
				t.Fatalf("a run of %d pairs wrote no commit-graph: %v", len(AllPairs(len(refs))), err)
			}
			damage()
			var log bytes.Buffer
			old := slog.Default()
			slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
			e := openEngine(t, r.Dir, "")
			e.loadGraph()
			slog.SetDefault(old)
			if e.cg != nil {
				t.Fatal("a damaged graph was opened")
			}
			if !strings.Contains(log.String(), "damaged") || !strings.Contains(log.String(), layers) {
				t.Errorf("the warning does not name the file: %s", log.String())
			}
			if _, err := os.Stat(chain); err == nil {
				t.Error("the damaged graph was left in place")
			}
			a, b := plumbing.NewHash(refs[1].Commit), plumbing.NewHash(refs[2].Commit)
			got, err := e.graph.MergeBases(a, b)
			if err != nil {
				t.Fatal(err)
			}
			if w := strings.Fields(r.Git("merge-base", "--all", a.String(), b.String())); !slices.Equal(hashStrings(got), sorted(w)) {
				t.Errorf("merge bases %v, git says %v", hashStrings(got), w)
			}
			compareLong(t, r.Dir, branches...)
			if _, err := os.Stat(chain); err != nil {
				t.Errorf("the graph was not written again: %v", err)
			}
		})
	}
}

// compareLong compares every pair as on a long history: the walk's budget is one commit
// object, so the first pair has git write kickoff's commit-graph.
func compareLong(t testing.TB, dir string, names ...string) *Report {
	t.Helper()
	e := newEngineWith(t, dir, Options{WalkBudget: 1})
	defer e.Close()
	return compareOn(t, e, names...)
}

func sorted(s []string) []string { slices.Sort(s); return s }

// TestGraphLayerOnlyForManyNewCommits: a run with many pairs on a short history finds
// its merge bases from the commit objects and writes no commit-graph; on a long one (a
// walk over its budget, here one commit) git writes kickoff's graph mid-run and the walk
// starts again over it. Once kickoff has a commit-graph, a re-run after
// a branch moved by a few commits (one of them a merge of another branch) reads those
// commits from their objects instead of having git write a layer, and every pair's merge
// bases are still git's; a branch that moved by more than fewNew commits gets a layer.
func TestGraphLayerOnlyForManyNewCommits(t *testing.T) {
	r, branches := skewedHistory(t)
	chain := filepath.Join(r.Dir, ".git", "kickoff", "objects", "info", "commit-graphs", "commit-graph-chain")
	layers := func() string { // git may merge layers: the chain names them all
		data, err := os.ReadFile(chain)
		if err != nil {
			t.Fatalf("no commit-graph chain: %v", err)
		}
		return string(data)
	}
	checkBasesWithGit(t, r, compare(t, r.Dir, "", branches...))
	if _, err := os.Stat(chain); err == nil {
		t.Fatal("a short history's walk had git write a commit-graph")
	}
	checkBasesWithGit(t, r, compareLong(t, r.Dir, branches...))
	before := layers()

	r.Git("checkout", "-q", branches[2])
	r.Commit("moved.txt", "one\n", "moved once")
	r.Git("merge", "-q", "--no-ff", "--no-edit", "-s", "ours", branches[4])
	r.Commit("moved.txt", "two\n", "moved twice")
	checkBasesWithGit(t, r, compareLong(t, r.Dir, branches...))
	if got := layers(); got != before {
		t.Errorf("three new commits made git write a layer: chain %q, was %q", got, before)
	}

	for i := 0; i <= fewNew; i++ {
		r.Commit("many.txt", fmt.Sprintf("%d\n", i), fmt.Sprintf("many %d", i))
	}
	checkBasesWithGit(t, r, compareLong(t, r.Dir, branches...))
	if got := layers(); got == before {
		t.Errorf("%d new commits wrote no layer", fewNew+1)
	}
}
