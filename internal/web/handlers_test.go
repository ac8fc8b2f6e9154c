package web

import (
	"encoding/json"
	"strings"
	"testing"

	"context"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestBoard(t *testing.T) {
	s, _ := seeded(t)
	body := getPage(t, serve(t, s), "/")
	for _, slot := range []string{"dev1", "dev2", "dev3", "dev4"} {
		must(t, body, `id="slot-`+slot+`"`, `href="/slots/`+slot+`"`)
	}
	// dev1 still runs the cart kickoff (the broken one was rolled back), and shows the failure.
	must(t, body,
		"<strong>kickoff-251118-cart</strong> · v1.3.0 · <code>platform/v1.3.0-rc.1</code>",
		`<code title="a1b2c3d4e5f6">a1b2c3d4e5f6</code>`,
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
