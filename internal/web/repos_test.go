package web

import (
	"context"
	"strings"
	"testing"
)

// In a platform of several repositories the heat map switches between them (?repo=), the
// pair pages follow, and an unknown repository is a 404.
func TestHeatmapRepoSwitch(t *testing.T) {
	s, _ := seeded(t)
	s.Repos = []string{"fe", "spring"}
	s.RepoMatrix = func(ctx context.Context, repo string) (*Heatmap, error) {
		if repo != "spring" {
			t.Errorf("RepoMatrix(%q)", repo)
		}
		return &Heatmap{Refs: []string{"main", "kickoff-251130-api"}, Rows: [][]HeatCell{
			{{A: "main", B: "main", State: StateSelf}, {A: "main", B: "kickoff-251130-api", State: StateClean}},
			{{A: "kickoff-251130-api", B: "main", State: StateClean}, {A: "kickoff-251130-api", B: "kickoff-251130-api", State: StateSelf}},
		}}, nil
	}
	srv := serve(t, s)
	body := getPage(t, srv, "/kickoffs")
	must(t, body, `<nav class="repos" aria-label="Repository">Repository: <a href="?repo=fe" aria-current="page">fe</a> <a href="?repo=spring">spring</a></nav>`,
		`&amp;b=kickoff-251120-search&amp;repo=fe"`)
	body = getPage(t, srv, "/kickoffs?repo=spring")
	must(t, body, `<a href="?repo=spring" aria-current="page">spring</a>`, "kickoff-251130-api", `&amp;repo=spring"`)
	if strings.Contains(body, "kickoff-251120-search&amp;repo") {
		t.Error("spring's heat map shows fe's pairs")
	}
	if code, body, _ := get(t, srv, "/kickoffs/pair?a=main&b=kickoff-251130-api&repo=spring"); code != 200 || !strings.Contains(body, "kickoff-251130-api") {
		t.Errorf("spring's pair page = %d", code)
	}
	for _, path := range []string{"/kickoffs?repo=nope", "/kickoffs/pair?a=main&b=x&repo=nope", "/api/kickoffs?repo=nope"} {
		if code, _, _ := get(t, srv, path); code != 404 {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
	}
	code, body, _ := get(t, srv, "/api/kickoffs?repo=spring")
	if code != 200 || !strings.Contains(body, `"repo": "spring"`) || !strings.Contains(body, "kickoff-251130-api") {
		t.Errorf("api of spring = %d %s", code, body)
	}
}
