package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/radar"
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
	h := heatmapIn(t, r.Dir)
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

// TestHeatmapWhenTheRadarFails: a live kickoff the radar cannot compare (its history
// shares nothing with main) leaves the kickoffs page up, saying why there is no heat
// map; a damaged radar cache is only set aside, and the heat map is drawn.
func TestHeatmapWhenTheRadarFails(t *testing.T) {
	r := gittest.NewLocal(t)
	r.Git("checkout", "-q", "--orphan", "kickoff-250101-elsewhere")
	r.Commit("other.txt", "unrelated\n", "a history of its own")
	r.Git("checkout", "-q", "main")
	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.StateDir = filepath.Join(t.TempDir(), "state")
	get := dashboardWith(t, conflictHeatmap(repo, cfg))
	code, body := get("/kickoffs")
	if code != 200 || !strings.Contains(body, "Could not compute the conflict matrix") || !strings.Contains(body, "unrelated histories") {
		t.Errorf("/kickoffs = %d, want the page saying why there is no heat map:\n%s", code, body)
	}
	for _, p := range []string{"/", "/kickoffs/pair?a=main&b=kickoff-250101-elsewhere"} {
		if code, _ := get(p); code != 200 {
			t.Errorf("%s = %d while the radar fails", p, code)
		}
	}

	// Same repository, the unrelated kickoff gone and the cache file garbage.
	r.Git("branch", "-D", "kickoff-250101-elsewhere")
	r.Git("branch", "kickoff-250102-fine", "main")
	db := filepath.Join(repo.StateDir(cfg.StateDir), radar.CacheFile)
	os.MkdirAll(filepath.Dir(db), 0o755)
	os.WriteFile(db, []byte(strings.Repeat("garbage ", 4096)), 0o644)
	h, err := conflictHeatmap(repo, cfg)(t.Context())
	if err != nil || len(h.Refs) != 2 {
		t.Fatalf("with a damaged cache: %v, %+v", err, h)
	}
	if _, err := os.Stat(db + ".broken"); err != nil {
		t.Errorf("the damaged cache was not set aside: %v", err)
	}
}

// The heat map compares what the team pushed; a kickoff with commits not pushed is
// compared at its local tip and marked local on the page.
func TestHeatmapMarksUnpushedKickoffs(t *testing.T) {
	const pushed, unpushed = "kickoff-240510-alpha", "kickoff-240511-beta"
	r := gittest.New(t)
	for _, k := range []string{pushed, unpushed} {
		r.Git("checkout", "-q", "-b", k, "main")
		r.Commit(k+".txt", k, "PROJ-1 "+k)
		r.Git("push", "-q", "-u", "origin", k)
	}
	r.Commit(unpushed+".txt", "more", "PROJ-1 not pushed yet")
	r.Git("checkout", "-q", "main")
	h := heatmapIn(t, r.Dir)
	if !h.IsLocal(unpushed) || h.IsLocal(pushed) || h.IsLocal("main") {
		t.Fatalf("local refs = %v, want only %s", h.Local, unpushed)
	}
	get := dashboardWith(t, func(context.Context) (*web.Heatmap, error) { return h, nil })
	_, b := get("/kickoffs")
	if !strings.Contains(b, unpushed+" (local)") || strings.Contains(b, pushed+" (local)") {
		t.Errorf("/kickoffs does not mark only %s as local:\n%s", unpushed, b)
	}
}

// heatmapIn is the dashboard's heat map of the repository in dir, as `kickoff serve` draws it.
func heatmapIn(t *testing.T, dir string) *web.Heatmap {
	t.Helper()
	f, _, _ := repoFactory(t, dir)
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		t.Fatal(err)
	}
	h, err := conflictHeatmap(repo, cfg)(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// dashboardWith serves the dashboard (an empty ledger, one slot) over matrix and returns a
// GET of a path: status and body.
func dashboardWith(t *testing.T, matrix func(context.Context) (*web.Heatmap, error)) func(path string) (int, string) {
	t.Helper()
	s := &web.Server{Ledger: ledger.NewFileStore(filepath.Join(t.TempDir(), "ledger.json")), Slots: []string{"dev1"},
		Now: time.Now, Matrix: matrix}
	hd, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hd)
	t.Cleanup(srv.Close)
	return func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
}
