package radar

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// TestCarryOver moves kickoffs in every way that matters between runs on one cache and
// checks each run against a run without a cache: the same verdicts (conflicts, lines,
// overlaps, who touched them, commits, merge bases), with only the pairs the rules allow
// carried over and the rest decided afresh.
func TestCarryOver(t *testing.T) {
	r := gittest.NewLocal(t)
	shared := lines(30, "s")
	r.Write("shared.txt", shared)
	r.Write("notes.txt", lines(10, "n"))
	r.Write("hot.txt", lines(10, "h"))
	r.Write("hot2.txt", lines(10, "h2"))
	r.Write(".gitattributes", "*.bin binary\n")
	for _, f := range []string{"k1.txt", "k2.txt", "k3.txt"} {
		r.Write(f, lines(10, f))
	}
	r.Git("add", "-A")
	r.Git("commit", "-q", "-m", "base")
	// k1 and k2 conflict on shared.txt line 5; k3 overlaps k1 at line 8 (clean merge).
	branch(t, r, "k1", "main", "PROJ-1 k1", func() {
		r.Write("shared.txt", replaceLine(shared, 5, "k1 was here"))
		r.Write("k1.txt", replaceLine(lines(10, "k1.txt"), 2, "k1 own"))
	})
	branch(t, r, "k2", "main", "PROJ-2 k2", func() {
		r.Write("shared.txt", replaceLine(shared, 5, "k2 was here"))
		r.Write("k2.txt", replaceLine(lines(10, "k2.txt"), 2, "k2 own"))
	})
	branch(t, r, "k3", "main", "PROJ-3 k3", func() {
		r.Write("shared.txt", replaceLine(shared, 9, "k3 was here"))
		r.Write("k3.txt", replaceLine(lines(10, "k3.txt"), 2, "k3 own"))
	})
	names := []string{"main", "k1", "k2", "k3"}
	cacheDir := filepath.Join(t.TempDir(), "state")
	run := func() (*Report, Stats) {
		t.Helper()
		e := openEngine(t, r.Dir, cacheDir)
		rep := compareOn(t, e, names...)
		st := e.Stats
		e.Close()
		fresh := compare(t, r.Dir, "", names...)
		for i := range rep.Pairs {
			got, want := rep.Pairs[i], fresh.Pairs[i]
			if got.DecidedBy == ByCarried {
				got.DecidedBy = want.DecidedBy
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("%s/%s differs from a run without the cache:\n got %s\nwant %s", want.A, want.B, g, w)
			}
		}
		return rep, st
	}
	// carried lists the pairs this run carried over: those of commits no earlier run saw
	// (the others come from the cache as they were stored, carried or not).
	seen := map[string]bool{}
	carried := func(rep *Report) map[string]bool {
		out := map[string]bool{}
		for _, p := range rep.Pairs {
			id := p.ACommit + ":" + p.BCommit
			if p.DecidedBy == ByCarried && !seen[id] {
				out[p.A+"/"+p.B] = true
			}
			seen[id] = true
		}
		return out
	}
	onBranch := func(name string, change func()) {
		t.Helper()
		r.Git("checkout", "-q", name)
		change()
		r.Git("checkout", "-q", "main")
	}
	first, st := run()
	carried(first)
	if st.Carried != 0 {
		t.Fatalf("first run carried %d pairs", st.Carried)
	}

	steps := []struct {
		name    string
		move    func()
		carried []string // pairs carried over; every other pair of a moved ref is decided afresh
	}{
		{"own file edited twice", func() {
			onBranch("k1", func() {
				r.Commit("k1.txt", replaceLine(lines(10, "k1.txt"), 3, "k1 again"), "PROJ-1 more")
				r.Commit("k1.txt", replaceLine(lines(10, "k1.txt"), 4, "k1 and again"), "PROJ-1 more")
			})
		}, []string{"main/k1", "k1/k2", "k1/k3"}},
		{"a file the other side changed", func() {
			onBranch("k2", func() { r.Commit("shared.txt", replaceLine(shared, 20, "k2 later"), "PROJ-2 later") })
		}, []string{"main/k2"}},
		{"a new file", func() {
			onBranch("k3", func() { r.Commit("k3-new.txt", "new\n", "PROJ-3 new file") })
		}, []string{}},
		{"both sides, own files", func() {
			onBranch("k1", func() { r.Commit("k1.txt", "k1 rewritten\n", "PROJ-1 rewrite") })
			onBranch("k3", func() { r.Commit("k3.txt", "k3 rewritten\n", "PROJ-3 rewrite") })
		}, []string{"main/k1", "main/k3", "k1/k2", "k1/k3", "k2/k3"}},
		{"attributes", func() {
			onBranch("k2", func() { r.Commit(".gitattributes", "*.bin binary\nshared.txt merge=union\n", "PROJ-2 union") })
		}, []string{}},
		{"a deleted file", func() {
			onBranch("k1", func() { r.Git("rm", "-q", "notes.txt"); r.Git("commit", "-q", "-m", "PROJ-1 drop notes") })
		}, []string{}},
		{"a feature branch merged", func() {
			r.Git("checkout", "-q", "-b", "feature/PROJ-3-side", "k3")
			r.Commit("k3.txt", "from side\n", "PROJ-3 side")
			onBranch("k3", func() { r.Git("merge", "-q", "--no-ff", "-m", "merge side", "feature/PROJ-3-side") })
		}, []string{"main/k3", "k1/k3", "k2/k3"}},
		{"a branch merged into two kickoffs", func() {
			// k1 and k2 now share the hotfix: their merge base moves to it.
			r.Git("checkout", "-q", "-b", "hotfix", "main")
			r.Commit("hot.txt", replaceLine(lines(10, "h"), 3, "hot"), "PROJ-9 hotfix")
			onBranch("k1", func() { r.Git("merge", "-q", "--no-ff", "-m", "take hotfix", "hotfix") })
			onBranch("k2", func() { r.Git("merge", "-q", "--no-ff", "-m", "take hotfix", "hotfix") })
		}, []string{"main/k1", "main/k2", "k1/k3", "k2/k3"}},
		{"a merge of a file the other side changed", func() {
			r.Git("checkout", "-q", "-b", "feature/PROJ-1-shared", "k1")
			r.Commit("shared.txt", replaceLine(replaceLine(shared, 5, "k1 was here"), 25, "k1 late"), "PROJ-1 shared")
			onBranch("k1", func() { r.Git("merge", "-q", "--no-ff", "-m", "merge shared", "feature/PROJ-1-shared") })
		}, []string{"main/k1"}},
		{"a branch merged and its change reverted", func() {
			r.Git("checkout", "-q", "-b", "hotfix2", "main")
			r.Commit("hot2.txt", replaceLine(lines(10, "h2"), 3, "hot"), "PROJ-8 hotfix")
			onBranch("k1", func() {
				r.Git("merge", "-q", "--no-ff", "-m", "take hotfix2", "hotfix2")
				r.Commit("hot2.txt", lines(10, "h2"), "PROJ-1 undo hotfix2")
			})
		}, []string{"main/k1", "k1/k2", "k1/k3"}},
		{"the same branch merged into the other", func() {
			// k1 and k2 now share hotfix2, but k1's changes no longer show it: only the
			// new merge base tells that k1/k2 must be decided afresh.
			onBranch("k2", func() { r.Git("merge", "-q", "--no-ff", "-m", "take hotfix2", "hotfix2") })
		}, []string{"main/k2", "k2/k3"}},
		{"history rewritten", func() {
			onBranch("k1", func() { r.Git("reset", "-q", "--hard", "HEAD~1") })
		}, []string{}},
	}
	for _, s := range steps {
		s.move()
		rep, st := run()
		got := carried(rep)
		if st.Carried != len(got) {
			t.Errorf("%s: stats say %d carried, the report %d", s.name, st.Carried, len(got))
		}
		for _, p := range s.carried {
			if !got[p] {
				t.Errorf("%s: %s not carried over (stats %+v)", s.name, p, st)
			}
		}
		if s.name == "own file edited twice" {
			for _, p := range rep.Pairs {
				if p.A == "k1" && p.B == "k2" && (p.Clean || len(p.Conflicts) != 1 || p.Conflicts[0].Path != "shared.txt" || len(p.Conflicts[0].OursBy) == 0) {
					t.Errorf("k1/k2 carried without its conflict: %+v", p)
				}
			}
		}
		if len(got) != len(s.carried) {
			t.Errorf("%s: carried %v, want only %v", s.name, got, s.carried)
		}
		if st.Cached+st.Carried+st.Prefiltered+st.Disjoint+st.Merged != len(rep.Pairs) {
			t.Errorf("%s: stats %+v do not add up to %d pairs", s.name, st, len(rep.Pairs))
		}
	}

}
