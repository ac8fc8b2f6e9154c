package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

func TestFileRejectsRecordWithoutSlotOrAction(t *testing.T) {
	s := NewFileStore(filepath.Join(t.TempDir(), FileName))
	if _, err := s.Append(context.Background(), Record{Action: ActionRelease}); err == nil {
		t.Error("record without slot accepted")
	}
	if _, err := s.Append(context.Background(), Record{Slot: "dev1"}); err == nil {
		t.Error("record without action accepted")
	}
}

// prepare fills the time and a sortable id when empty, keeps given ones, and encodes the
// record as one JSON line's object.
func TestPrepare(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	r, data, err := prepare(Record{Action: ActionClaim, Slot: "dev1", Time: at})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || r.ID[:10] != NewID(at)[:10] || !r.Time.Equal(at) {
		t.Errorf("prepared = %+v, want an id of its time", r)
	}
	var back Record
	if err := json.Unmarshal(data, &back); err != nil || back.ID != r.ID || back.Slot != "dev1" || bytes.ContainsRune(data, '\n') {
		t.Errorf("encoded %s (%v)", data, err)
	}
	r, _, err = prepare(Record{ID: "given", Action: ActionClaim, Slot: "dev1"})
	if err != nil || r.ID != "given" || r.Time.IsZero() || r.Time.Location() != time.UTC {
		t.Errorf("prepared = %+v, %v; want the given id and the time now in UTC", r, err)
	}
	for _, bad := range []Record{{Slot: "dev1"}, {Action: ActionRelease}} {
		if _, _, err := prepare(bad); err == nil {
			t.Errorf("prepare(%+v) accepted a record without slot or action", bad)
		}
	}
}
