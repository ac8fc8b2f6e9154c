package cli

import (
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/web"
)

// The heat map is main and every live kickoff, each pair's cell coloured by its verdict and
// listing the files behind it; the diagonal is a ref against itself.
func TestConflictHeatmap(t *testing.T) {
	const a, b, c = "kickoff-240510-alpha", "kickoff-240511-beta", "kickoff-240512-gamma"
	r := gittest.NewLocal(t)
	r.Commit("app.txt", "one\ntwo\nthree\nfour\nfive\n", "base")
	for k, content := range map[string]string{
		a: "one\ntwo\nalpha\nfour\nfive\n",
		b: "one\ntwo\nbeta\nfour\nfive\n",
		c: "one\ntwo\nthree\nfour\ngamma\n",
	} {
		r.Git("checkout", "-q", "-b", k, "main")
		r.Commit("app.txt", content, "PROJ-1 "+k)
	}
	r.Git("checkout", "-q", "main")
	f, _, _ := repoFactory(t, r.Dir)
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		t.Fatal(err)
	}
	h, err := conflictHeatmap(repo, cfg)(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	refs := []string{"main", a, b, c}
	if !slices.Equal(h.Refs, refs) || len(h.Rows) != 4 {
		t.Fatalf("heat map of %v, %d rows; want %v", h.Refs, len(h.Rows), refs)
	}
	at := map[[2]string]web.HeatCell{}
	for _, row := range h.Rows {
		for _, cell := range row {
			at[[2]string{cell.A, cell.B}] = cell
		}
	}
	for _, tt := range []struct {
		a, b, state string
		paths       int
	}{
		{"main", "main", web.StateSelf, 0},
		{"main", a, web.StateClean, 0},
		{a, b, web.StateConflict, 1},
		{b, a, web.StateConflict, 1}, // symmetric
		{a, c, web.StateOverlap, 1},  // lines 3 and 5: neighbours that still merge
	} {
		cell, ok := at[[2]string{tt.a, tt.b}]
		if !ok || cell.State != tt.state || len(cell.Paths) != tt.paths {
			t.Errorf("%s x %s = %+v, want %s with %d files", tt.a, tt.b, cell, tt.state, tt.paths)
			continue
		}
		if tt.paths > 0 && (cell.Paths[0].Path != "app.txt" || len(cell.Paths[0].OursBy) == 0) {
			t.Errorf("%s x %s files = %+v, want app.txt and who changed it", tt.a, tt.b, cell.Paths)
		}
	}
}
