package slot

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// countingStore counts the ledger reads of whatever runs over it.
type countingStore struct {
	ledger.Store
	lists atomic.Int32
}

func (c *countingStore) List(ctx context.Context, f ledger.Filter) ([]ledger.Record, error) {
	c.lists.Add(1)
	return c.Store.List(ctx, f)
}

// `slot ls` reads the ledger once for every slot and prints the documented schema: the
// current deploy's id, actor and time, and per app its URL and health.
func TestStatesFromOneRead(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	cfg := config.Default()
	cfg.Project = "acme"
	cfg.Apps = map[string]config.App{"be": {Image: "acme-be", Port: 8080}, "fe": {Image: "acme-fe", Port: 8080}}
	file := ledger.NewFileStore(filepath.Join(t.TempDir(), ledger.FileName))
	apps := []ledger.App{
		{Name: "be", Kickoff: kAlpha, Commit: "b1", Image: "acme-be:a", Digest: "sha256:b", Changed: true},
		{Name: "fe", Kickoff: kBeta, Commit: "f1", Image: "acme-fe:b", Digest: "sha256:f"},
	}
	for i, r := range []ledger.Record{
		{Action: ledger.ActionRelease, Slot: "dev1", Kickoff: kAlpha, Version: "1.3.0", Actor: "ann", Outcome: ledger.OutcomeSucceeded, Apps: apps},
		{Action: ledger.ActionClaim, Slot: "dev2", Actor: "bo", Outcome: ledger.OutcomeSucceeded, Claim: &ledger.Claim{For: kBeta, By: "bo"}},
		{Action: ledger.ActionRelease, Slot: "dev3", Kickoff: kAlpha, Actor: "ann", Outcome: ledger.OutcomeSucceeded, Apps: apps},
		{Action: ledger.ActionDown, Slot: "dev3", Actor: "ann", Outcome: ledger.OutcomeSucceeded},
	} {
		r.Time = t0.Add(time.Duration(i) * time.Minute)
		r.ID = ledger.NewID(r.Time)
		if _, err := file.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	store := &countingStore{Store: file}
	s := &Service{Cfg: cfg, Ledger: store, Now: func() time.Time { return t0.Add(time.Hour) },
		Engine: func(string) (*compose.Engine, error) { return nil, errors.New("no engine here") }}

	states, err := s.States(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := store.lists.Load(); n != 1 {
		t.Errorf("slot ls read the ledger %d times, want once", n)
	}
	if len(states) != 4 || states[1].Claim == nil || len(states[2].Apps) != 0 || states[2].Current != nil {
		t.Fatalf("states = %+v", states)
	}
	got, err := json.Marshal(states[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"slot":"dev1","project":"acme-dev1","kickoff":"` + kAlpha + `","version":"1.3.0","deploy_id":"` + states[0].Current.ID + `",` +
		`"deployed_by":"ann","deployed_at":"2026-11-25T09:00:00Z","apps":[` +
		`{"name":"be","kickoff":"` + kAlpha + `","commit":"b1","image":"acme-be:a","digest":"sha256:b","url":"http://127.0.0.1:20000","health":"not checked"},` +
		`{"name":"fe","kickoff":"` + kBeta + `","commit":"f1","image":"acme-fe:b","digest":"sha256:f","url":"http://127.0.0.1:20001","health":"not checked"}]}`
	if string(got) != want {
		t.Errorf("slot ls --json of dev1:\n got %s\nwant %s", got, want)
	}
	if got, _ := json.Marshal(states[3]); string(got) != `{"slot":"dev4","project":"acme-dev4","apps":[]}` {
		t.Errorf("an empty slot: %s", got)
	}

	if _, err := s.Status(ctx, "dev9", false); !errors.As(err, new(*ledger.UnknownSlotError)) {
		t.Errorf("status of an unknown slot: %v", err)
	}
}
