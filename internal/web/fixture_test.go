package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/radar"
)

var testNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

// seeded returns a dashboard over a real file ledger holding a morning of deploys.
func seeded(t testing.TB) (*Server, *ledger.FileStore) {
	t.Helper()
	st := ledger.NewFileStore(filepath.Join(t.TempDir(), ledger.FileName))
	at := func(h, m int) time.Time { return time.Date(2026, 11, 25, h, m, 0, 0, time.UTC) }
	cart := []ledger.Issue{{Key: "PROJ-12", Summary: "Cart totals", URL: "https://jira.test/browse/PROJ-12"}, {Key: "PROJ-15", Summary: "Coupons"}}
	for _, r := range []ledger.Record{
		{Time: at(9, 0), Actor: "ann@example.com", Action: ledger.ActionRelease, Slot: "dev1", Kickoff: "kickoff-251118-cart", Version: "1.3.0",
			RC: "platform/v1.3.0-rc.1", Outcome: ledger.OutcomeSucceeded, DurationMS: 41000, Issues: cart,
			Apps: []ledger.App{
				{Name: "frontend", Commit: "a1b2c3d4e5f6", Image: "reg.test/frontend:kickoff-251118-cart-a1b2c3d", Digest: "sha256:aaaa", Changed: true},
				{Name: "spring", Commit: "b1b2c3d4e5f6", Image: "reg.test/spring:kickoff-251118-cart-b1b2c3d", Digest: "sha256:bbbb", Changed: true},
			}},
		{Time: at(10, 0), Actor: "bo@example.com", Action: ledger.ActionRelease, Slot: "dev2", Kickoff: "kickoff-251120-search", Version: "1.4.0",
			Outcome: ledger.OutcomeSucceeded, DurationMS: 30000, Issues: []ledger.Issue{{Key: "PROJ-20", Summary: "Search <b>box</b>"}},
			Apps: []ledger.App{{Name: "django", Commit: "d00dd00dd00d", Image: "reg.test/django:search-d00dd00", Changed: true}}},
		{Time: at(11, 0), Actor: "cy@example.com", Action: ledger.ActionRelease, Slot: "dev1", Kickoff: "kickoff-251121-broken", Version: "1.5.0",
			Outcome: ledger.OutcomeRolledBack, DurationMS: 65000, Error: "spring: health check failed after 60s", Logs: "starting\npanic: db down\n",
			Apps: []ledger.App{{Name: "spring", Image: "reg.test/spring:broken", Changed: true}}},
		{Time: at(12, 0), Actor: "cy@example.com", Action: ledger.ActionClaim, Slot: "dev3", Outcome: ledger.OutcomeSucceeded,
			Claim: &ledger.Claim{For: "kickoff-251120-search", By: "cy@example.com", Until: at(18, 0), Note: "demo"}},
	} {
		if _, err := st.Append(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	s := &Server{
		Ledger: st, Slots: []string{"dev1", "dev2", "dev3", "dev4"}, Now: func() time.Time { return testNow },
		Health: func(ctx context.Context, slot string) map[string]ledger.Health {
			switch slot {
			case "dev1":
				return map[string]ledger.Health{"frontend": ledger.Healthy, "spring": ledger.Unhealthy}
			case "dev2":
				return map[string]ledger.Health{"django": ledger.Down}
			}
			return nil
		},
		Kickoffs: func(ctx context.Context) ([]KickoffInfo, error) {
			return []KickoffInfo{{Name: "kickoff-251118-cart", Version: "1.3.0"}, {Name: "kickoff-251120-search", Version: "1.4.0"}, {Name: "kickoff-251124-idle"}}, nil
		},
		Matrix: func(ctx context.Context) (*Heatmap, error) { return testMatrix(), nil },
	}
	return s, st
}

func testMatrix() *Heatmap {
	refs := []string{"main", "kickoff-251118-cart", "kickoff-251120-search"}
	state := map[[2]int]HeatCell{
		{0, 1}: {State: StateClean},
		{0, 2}: {State: StateOverlap, Overlaps: 1, Paths: []PairPath{{Path: "web/search.ts", Kind: "overlap"}}},
		{1, 2}: {State: StateConflict, Conflicts: 2, Paths: []PairPath{
			{Path: "api/cart.py", Kind: "content", Message: "CONFLICT (content)",
				Ours: []radar.Range{{3, 5}, {9, 9}}, Theirs: []radar.Range{{4, 4}},
				OursBy:   []radar.Touch{{Author: "Ann Author", Jira: []string{"CART-7"}}},
				TheirsBy: []radar.Touch{{Author: "Bob Builder", Jira: []string{"SRCH-2"}}}},
			{Path: "api/urls.py", Kind: "rename/delete", TheirsBy: []radar.Touch{{Author: "Bob Builder"}}}}},
	}
	m := &Heatmap{Refs: refs}
	for i := range refs {
		var row []HeatCell
		for j := range refs {
			c := HeatCell{State: StateSelf}
			if i != j {
				k := [2]int{min(i, j), max(i, j)}
				c = state[k]
			}
			c.A, c.B = refs[i], refs[j]
			row = append(row, c)
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

var errBoom = errors.New("radar: merge-tree exploded")

func serve(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func must(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustNot(t *testing.T, body string, not ...string) {
	t.Helper()
	for _, w := range not {
		if strings.Contains(body, w) {
			t.Errorf("page has %q", w)
		}
	}
}

// selfContained checks the page loads nothing from elsewhere and runs no script.
func selfContained(t *testing.T, body string) {
	t.Helper()
	if regexp.MustCompile(`(?i)<script|<link[^>]+href="https?:|src="https?:|@import|fonts\.googleapis`).MatchString(body) {
		t.Error("page loads scripts or external resources")
	}
	must(t, body, `<meta name="viewport" content="width=device-width, initial-scale=1">`, `<meta http-equiv="refresh" content="30">`)
}

// getPage GETs path, which must answer 200 with a self-contained HTML page, and returns it.
func getPage(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	code, body, hdr := get(t, srv, path)
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s = %d %s", path, code, hdr.Get("Content-Type"))
	}
	selfContained(t, body)
	return body
}
