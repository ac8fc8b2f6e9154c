package ledger

import (
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

func TestNewIDSortsByTimeAndIsUnique(t *testing.T) {
	base := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	prev := ""
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewID(base.Add(time.Duration(i/10) * time.Millisecond)) // ten per millisecond
		if len(id) != 26 {
			t.Fatalf("id %q has %d characters, want 26", id, len(id))
		}
		if id <= prev || seen[id] {
			t.Fatalf("id %q after %q: not increasing/unique", id, prev)
		}
		prev, seen[id] = id, true
	}
	if a, b := NewID(base.Add(time.Hour)), NewID(base.Add(2*time.Hour)); a >= b {
		t.Errorf("later time sorted first: %s >= %s", a, b)
	}
}

// Ids are real ULIDs: another ULID reader gets the record's time back.
func TestNewIDIsAULID(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 30, 0, 123e6, time.UTC)
	id, err := ulid.ParseStrict(NewID(at))
	if err != nil {
		t.Fatal(err)
	}
	if got := ulid.Time(id.Time()); !got.Equal(at) {
		t.Errorf("time in the id = %s, want %s", got, at)
	}
}
