package slot

import (
	"context"
	"encoding/json"
	"errors"
	"os"
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

func (c *countingStore) Replay(ctx context.Context) (*ledger.Replay, error) {
	c.lists.Add(1)
	return c.Store.Replay(ctx)
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
	s := &Service{Cfg: cfg, Ledger: store, Now: func() time.Time { return t0.Add(time.Hour) }, StateDir: t.TempDir(),
		Engine: func(string) (*compose.Engine, error) { return nil, errors.New("no engine here") }}
	// dev1 was deployed from here: its file lists the team's database besides the apps.
	if err := os.MkdirAll(filepath.Dir(s.composeFile("dev1")), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.composeFile("dev1"), []byte("services:\n  be: {image: acme-be@sha256:b}\n  fe: {image: acme-fe@sha256:f}\n  db: {image: mariadb:10.6}\n"), 0o600); err != nil {
		t.Fatal(err)
	}

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
		`{"name":"fe","kickoff":"` + kBeta + `","commit":"f1","image":"acme-fe:b","digest":"sha256:f","url":"http://127.0.0.1:20001","health":"not checked"}],` +
		`"services":[{"name":"db","image":"mariadb:10.6","health":"not checked"}]}`
	if string(got) != want {
		t.Errorf("slot ls --json of dev1:\n got %s\nwant %s", got, want)
	}
	if got, _ := json.Marshal(states[3]); string(got) != `{"slot":"dev4","project":"acme-dev4","apps":[],"services":[]}` {
		t.Errorf("an empty slot: %s", got)
	}

	if _, err := s.Status(ctx, "dev9", false); !errors.As(err, new(*ledger.UnknownSlotError)) {
		t.Errorf("status of an unknown slot: %v", err)
	}
}

// A service that is not an app counts in a slot's health: a stopped database is down, one
// failing its healthcheck unhealthy, a migration others wait for done when it exited with 0.
func TestServiceHealth(t *testing.T) {
	for _, c := range []struct {
		name    string
		c       compose.Container
		found   bool
		oneShot bool
		want    ledger.Health
		detail  string
	}{
		{"no container", compose.Container{}, false, false, ledger.Down, "no container"},
		{"stopped db", compose.Container{State: "exited", ExitCode: 0}, true, false, ledger.Down, "container exited (0)"},
		{"crashed", compose.Container{State: "exited", ExitCode: 137}, true, false, ledger.Down, "container exited (137)"},
		{"migration done", compose.Container{State: "exited", ExitCode: 0}, true, true, ledger.Healthy, "completed"},
		{"migration failed", compose.Container{State: "exited", ExitCode: 1}, true, true, ledger.Down, "container exited (1)"},
		{"restarting", compose.Container{State: "restarting"}, true, false, ledger.Down, "container restarting"},
		{"running", compose.Container{State: "running"}, true, false, ledger.Healthy, ""},
		{"healthcheck passes", compose.Container{State: "running", Health: "healthy"}, true, false, ledger.Healthy, ""},
		{"healthcheck fails", compose.Container{State: "running", Health: "unhealthy"}, true, false, ledger.Unhealthy, "healthcheck failing"},
		{"healthcheck starting", compose.Container{State: "running", Health: "starting"}, true, false, ledger.Unhealthy, "healthcheck starting"},
	} {
		v := ServiceState{Name: "db", oneShot: c.oneShot}
		serviceHealth(&v, c.c, c.found)
		if v.Health != c.want || v.Detail != c.detail {
			t.Errorf("%s: %q (%q), want %q (%q)", c.name, v.Health, v.Detail, c.want, c.detail)
		}
	}
}
