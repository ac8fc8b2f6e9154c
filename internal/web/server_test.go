package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

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
