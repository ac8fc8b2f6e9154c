package radar

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// A commit's changes against a base on its first-parent chain are the stretches between
// the known commits met on the way, each diffed once; their union holds every path git
// says differs.
func TestChangesComposeAlongTheChain(t *testing.T) {
	r := gittest.NewLocal(t)
	base := plumbing.NewHash(r.Commit("a.txt", "1\n", "base"))
	r.Commit("b.txt", "1\n", "one")
	mid := plumbing.NewHash(r.Commit("a.txt", "2\n", "two"))
	tip := plumbing.NewHash(r.Commit("c/d.txt", "1\n", "three"))
	e := openEngine(t, r.Dir, "")

	if got := e.intervals(tip, base); !slices.Equal(got, [][2]plumbing.Hash{{tip, base}}) {
		t.Errorf("no known commit between: intervals %v, want the direct diff", got)
	}
	e.spans = map[[2]plumbing.Hash][][2]plumbing.Hash{} // forget, then learn of mid
	e.known[mid] = true
	want := [][2]plumbing.Hash{{tip, mid}, {mid, base}}
	if got := e.intervals(tip, base); !slices.Equal(got, want) {
		t.Errorf("intervals %v, want %v", got, want)
	}
	if got := e.chain(base, tip); got != nil {
		t.Errorf("a base not on the chain: %v, want nil", got)
	}

	sets, err := e.changes(context.Background(), base, tip)
	if err != nil {
		t.Fatal(err)
	}
	var union []string
	for _, cs := range sets {
		union = append(union, cs.Paths...)
	}
	slices.Sort(union)
	union = slices.Compact(union)
	gitSays := strings.Fields(r.Git("diff", "--name-only", base.String(), tip.String()))
	if !slices.Equal(union, gitSays) {
		t.Errorf("changes %q, git diff says %q", union, gitSays)
	}
	if e.Stats.Diffed != 2 {
		t.Errorf("%d diffs, want one per stretch (2)", e.Stats.Diffed)
	}
	if _, err := e.changes(context.Background(), mid, tip); err != nil || e.Stats.Diffed != 2 {
		t.Errorf("the tip's stretch again: %d diffs (%v), want it reused", e.Stats.Diffed, err)
	}
}
