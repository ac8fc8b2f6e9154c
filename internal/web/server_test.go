package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"context"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

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

func TestBoard(t *testing.T) {
	s, _ := seeded(t)
	body := getPage(t, serve(t, s), "/")
	for _, slot := range []string{"dev1", "dev2", "dev3", "dev4"} {
		must(t, body, `id="slot-`+slot+`"`, `href="/slots/`+slot+`"`)
	}
	// dev1 still runs the cart kickoff (the broken one was rolled back), and shows the failure.
	must(t, body,
		"<strong>kickoff-251118-cart</strong> · v1.3.0 · <code>platform/v1.3.0-rc.1</code>",
		`<code title="a1b2c3d4e5f6">a1b2c3d</code>`,
		`title="reg.test/frontend:kickoff-251118-cart-a1b2c3d@sha256:aaaa"`,
		`<span class="health healthy">healthy</span>`, `<span class="health unhealthy">unhealthy</span>`,
		`ann@example.com, <time datetime="2026-11-25T09:00:00Z" title="2026-11-25 09:00:00 UTC">6h ago</time>`,
		`<a href="https://jira.test/browse/PROJ-12">PROJ-12</a> Cart totals`, "PROJ-15 Coupons",
		`class="card has-failure" id="slot-dev1"`, "Last deploy <strong>rolled_back</strong>: kickoff-251121-broken by cy@example.com",
		"spring: health check failed after 60s",
		// dev2: its issue summary is escaped.
		"Search &lt;b&gt;box&lt;/b&gt;",
		// dev3 is claimed.
		`Claimed for <strong>kickoff-251120-search</strong> by cy@example.com until`, ": demo",
		`<span class="badge empty">nothing deployed</span>`,
	)
	mustNot(t, body, "reg.test/spring:broken")
	// dev2's app has no running container: unhealthy on the board, like dev1's spring (the
	// board's words are healthy, unhealthy and unknown).
	if n := strings.Count(body, `<span class="health unhealthy">unhealthy</span>`); n != 2 {
		t.Errorf("%d apps shown unhealthy, want spring on dev1 and django on dev2", n)
	}
}

func TestBoardHealthUnknownWithoutProbe(t *testing.T) {
	s, _ := seeded(t)
	s.Health = nil
	_, body, _ := get(t, serve(t, s), "/")
	if n := strings.Count(body, `<span class="health unknown">unknown</span>`); n != 3 {
		t.Errorf("%d apps shown with unknown health, want all 3", n)
	}
}

func TestBoardLinksIssuesThroughJiraURL(t *testing.T) {
	s, _ := seeded(t)
	s.JiraURL = "https://acme.atlassian.net/"
	_, body, _ := get(t, serve(t, s), "/")
	must(t, body, `<a href="https://acme.atlassian.net/browse/PROJ-15">PROJ-15</a>`)
}

func TestSlotPage(t *testing.T) {
	s, _ := seeded(t)
	body := getPage(t, serve(t, s), "/slots/dev1")
	must(t, body, "<h1>Slot dev1</h1>", "History of dev1", `class="failed" id="r-`, "panic: db down", "<summary>Last log lines</summary>",
		`<span class="outcome rolled_back">rolled_back</span>`)
	mustNot(t, body, `data-slot="dev2"`)
	if n := strings.Count(body, `<tr class="ok" id="r-`) + strings.Count(body, `<tr class="failed" id="r-`); n != 2 {
		t.Errorf("dev1 history has %d rows, want 2", n)
	}
}

func TestUnknownSlotIs404(t *testing.T) {
	s, _ := seeded(t)
	srv := serve(t, s)
	for _, p := range []string{"/slots/dev9", "/history?slot=dev9"} {
		code, body, _ := get(t, srv, p)
		if code != 404 {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
		must(t, body, "There is no slot called dev9.", `<a href="/slots/dev1">dev1</a>`)
	}
	code, body, _ := get(t, srv, "/api/slots/dev9")
	if code != 404 || !strings.Contains(body, `"error": "unknown slot \"dev9\""`) {
		t.Errorf("GET /api/slots/dev9 = %d %s", code, body)
	}
	if code, _, _ := get(t, srv, "/api/history?slot=dev9"); code != 404 {
		t.Errorf("GET /api/history?slot=dev9 = %d, want 404", code)
	}
	if code, body, _ := get(t, srv, "/no/such/page"); code != 404 || !strings.Contains(body, "Nothing is served at /no/such/page: it is neither a slot app nor a dashboard page.") {
		t.Errorf("GET /no/such/page = %d", code)
	}
}

func TestHistoryPageAndFilters(t *testing.T) {
	s, _ := seeded(t)
	srv := serve(t, s)
	body := getPage(t, srv, "/history")
	must(t, body, `<form class="filter" method="get" action="/history">`, "<option>kickoff-251120-search</option>", "<option>django</option>",
		`<tr class="failed" id="r-`, "spring: health check failed after 60s", "1m5s", "for kickoff-251120-search")
	rows := func(body string) int {
		return strings.Count(body, `<tr class="ok"`) + strings.Count(body, `<tr class="failed" id=`)
	}
	if n := rows(body); n != 4 {
		t.Errorf("history has %d rows, want 4", n)
	}
	for q, want := range map[string]int{"slot=dev1": 2, "kickoff=kickoff-251120-search": 1, "app=spring": 2, "app=django&slot=dev1": 0, "n=1": 1} {
		code, body, _ := get(t, srv, "/history?"+q)
		if code != 200 || rows(body) != want {
			t.Errorf("/history?%s: %d, %d rows; want 200, %d", q, code, rows(body), want)
		}
	}
	_, body, _ = get(t, srv, "/history?slot=dev1")
	must(t, body, "<option selected>dev1</option>", `<a class="clear" href="/history">clear</a>`)
	if code, _, _ := get(t, srv, "/history?n=0"); code != 400 {
		t.Errorf("/history?n=0 = %d, want 400", code)
	}
}

func TestKickoffsPageAndHeatmap(t *testing.T) {
	s, _ := seeded(t)
	srv := serve(t, s)
	body := getPage(t, srv, "/kickoffs")
	must(t, body,
		`<tr data-kickoff="kickoff-251118-cart"><td><strong>kickoff-251118-cart</strong></td><td>1.3.0</td>`,
		`<a href="/slots/dev1">dev1</a>`, `<tr data-kickoff="kickoff-251124-idle"><td><strong>kickoff-251124-idle</strong></td><td></td>`+"\n<td>none</td>",
		`<td class="cell conflict"><a href="/kickoffs/pair?a=kickoff-251118-cart&amp;b=kickoff-251120-search"`, "✗ 2",
		`<td class="cell overlap">`, "~ 1", `<td class="cell clean">`, `<td class="cell self">·</td>`)

	code, body, _ := get(t, srv, "/kickoffs/pair?a=kickoff-251118-cart&b=kickoff-251120-search")
	if code != 200 {
		t.Fatalf("pair page = %d", code)
	}
	must(t, body, "<h1>kickoff-251118-cart × kickoff-251120-search</h1>", "<code>api/cart.py</code>", "CONFLICT (content)", "2 conflicting file(s)",
		"<th>In kickoff-251118-cart</th><th>In kickoff-251120-search</th>",
		"<td>lines 3-5,9; Ann Author CART-7</td><td>lines 4; Bob Builder SRCH-2</td>",
		"<td><code>api/urls.py</code></td><td>rename/delete</td>\n<td></td><td>Bob Builder</td>")
	if code, _, _ := get(t, srv, "/kickoffs/pair?a=main&b=nope"); code != 404 {
		t.Errorf("unknown pair = %d, want 404", code)
	}

	// Providers failing or absent: the page still renders and says so.
	s2, _ := seeded(t)
	s2.Matrix = func(ctx context.Context) (*Heatmap, error) { return nil, errBoom }
	s2.Kickoffs = nil
	_, body, _ = get(t, serve(t, s2), "/kickoffs")
	must(t, body, "Could not compute the conflict matrix: radar: merge-tree exploded", "<strong>kickoff-251120-search</strong>")
	s2.Matrix = nil
	_, body, _ = get(t, serve(t, s2), "/kickoffs")
	must(t, body, "The conflict matrix is not available here.")
}

func TestAPI(t *testing.T) {
	s, _ := seeded(t)
	srv := serve(t, s)
	decode := func(path string, v any) {
		t.Helper()
		code, body, hdr := get(t, srv, path)
		if code != 200 || hdr.Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s = %d %s", path, code, hdr.Get("Content-Type"))
		}
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	var idx struct{ Routes []struct{ Path string } }
	decode("/api/", &idx)
	if len(idx.Routes) != len(APIRoutes) {
		t.Errorf("/api/ lists %d routes", len(idx.Routes))
	}
	var slots []SlotView
	decode("/api/slots", &slots)
	if len(slots) != 4 || slots[0].Slot != "dev1" || slots[0].Apps[1].Name != "spring" || slots[0].Health["spring"] != "unhealthy" || slots[1].Health["django"] != "unhealthy" ||
		slots[0].LastFailure == nil || slots[2].Claim == nil || len(slots[0].Issues) != 2 {
		t.Errorf("/api/slots = %+v", slots)
	}
	var one SlotDetail
	decode("/api/slots/dev1", &one)
	if one.Slot != "dev1" || len(one.History) != 2 || one.History[0].Outcome != ledger.OutcomeRolledBack {
		t.Errorf("/api/slots/dev1 = %+v", one)
	}
	var recs []ledger.Record
	decode("/api/history?slot=dev1&n=1", &recs)
	if len(recs) != 1 || recs[0].Kickoff != "kickoff-251121-broken" || recs[0].Logs == "" {
		t.Errorf("/api/history?slot=dev1&n=1 = %+v", recs)
	}
	decode("/api/history?app=django", &recs)
	if len(recs) != 1 || recs[0].Slot != "dev2" {
		t.Errorf("/api/history?app=django = %+v", recs)
	}
	var ks KickoffsView
	decode("/api/kickoffs", &ks)
	if len(ks.Kickoffs) != 3 || ks.Kickoffs[1].Slots[0] != "dev2" || ks.Matrix == nil || ks.Matrix.Rows[1][2].State != StateConflict {
		t.Errorf("/api/kickoffs = %+v", ks)
	}
	if code, body, _ := get(t, srv, "/api/history?n=x"); code != 400 || !strings.Contains(body, `"error"`) {
		t.Errorf("/api/history?n=x = %d %s", code, body)
	}
	if code, body, _ := get(t, srv, "/api/nothing"); code != 404 || !strings.Contains(body, "no such API route") {
		t.Errorf("/api/nothing = %d %s", code, body)
	}
	if code, _, hdr := get(t, srv, "/static/style.css"); code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/css") {
		t.Errorf("style.css = %d %s", code, hdr.Get("Content-Type"))
	}
}

func TestUnreadableLedger(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ledger.FileName)
	os.Mkdir(path, 0o755)
	s := &Server{Ledger: ledger.NewFileStore(path), Slots: []string{"dev1"}}
	srv := serve(t, s)
	code, body, _ := get(t, srv, "/")
	if code != 500 || !strings.Contains(body, "The ledger could not be read: read ledger") {
		t.Errorf("GET / over an unreadable ledger = %d", code)
	}
	code, body, _ = get(t, srv, "/api/slots")
	if code != 500 || !strings.Contains(body, `"error": "read ledger`) {
		t.Errorf("GET /api/slots = %d %s", code, body)
	}
}

func TestEmptyLedger(t *testing.T) {
	s := &Server{Ledger: ledger.NewFileStore(filepath.Join(t.TempDir(), ledger.FileName)), Slots: []string{"dev1", "dev2"}}
	srv := serve(t, s)
	for _, p := range []string{"/", "/history", "/kickoffs", "/slots/dev2"} {
		if code, _, _ := get(t, srv, p); code != 200 {
			t.Errorf("GET %s on an empty ledger = %d", p, code)
		}
	}
	_, body, _ := get(t, srv, "/api/history")
	if strings.TrimSpace(body) != "[]" {
		t.Errorf("/api/history = %s, want []", body)
	}
}

func TestExport(t *testing.T) {
	s, _ := seeded(t)
	dir := t.TempDir()
	files, err := s.Export(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"index.html", "history.html", "kickoffs.html", "slots/dev1.html", "slots/dev4.html",
		"kickoffs/kickoff-251118-cart--kickoff-251120-search.html", "api/slots.json", "api/slots/dev1.json", "api/history.json",
		"api/kickoffs.json", "static/style.css"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("export lacks %s (wrote %v)", f, files)
		}
	}
	read := func(f string) string { b, _ := os.ReadFile(filepath.Join(dir, f)); return string(b) }
	idx := read("index.html")
	must(t, idx, `href="static/style.css"`, `href="slots/dev1.html"`, `href="history.html"`, "kickoff-251118-cart")
	mustNot(t, idx, `href="/`, `/api/`)
	slot := read("slots/dev1.html")
	must(t, slot, `href="../static/style.css"`, `href="../index.html"`, "panic: db down")
	mustNot(t, slot, `href="/`)
	kick := read("kickoffs.html")
	must(t, kick, `href="kickoffs/kickoff-251118-cart--kickoff-251120-search.html"`)
	mustNot(t, read("history.html"), "<form")
	// Every relative link in every page points at a file that exists.
	linkRe := regexp.MustCompile(`href="([^"#:]+)"`)
	for _, f := range files {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		for _, m := range linkRe.FindAllStringSubmatch(read(f), -1) {
			target := filepath.Join(dir, filepath.Dir(f), m[1])
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s links to %s, which the export lacks", f, m[1])
			}
		}
	}
	var slots []SlotView
	if err := json.Unmarshal([]byte(read("api/slots.json")), &slots); err != nil || len(slots) != 4 {
		t.Errorf("api/slots.json: %v, %d slots", err, len(slots))
	}
}
