package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"context"
)

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
