package slot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

const kAlpha, kBeta = "kickoff-261120-alpha", "kickoff-261121-beta"

// One slot through its life: first release, no-op re-release, a one-app change, a missing
// image refused, an unhealthy image rolled back, and a rollback to an earlier deploy.
func TestReleaseLifecycle(t *testing.T) {
	t.Parallel()
	regtest.EachCompose(t, func(t *testing.T, cmd []string) { testReleaseLifecycle(t, newWorld(t, cmd)) })
}

func testReleaseLifecycle(t *testing.T, w *world) {
	w.kickoffBuilt(kAlpha, "alpha1")

	// Into an empty slot: both apps up, the frontend reaches the backend by service name.
	res, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	if err != nil {
		t.Fatal(err)
	}
	if res.NoOp || res.Record == nil || res.Record.Outcome != ledger.OutcomeSucceeded {
		t.Fatalf("first release: %+v", res)
	}
	fe := w.get("dev1", "fe")
	if fe.Version != "fe-alpha1" || fe.Backend == nil || fe.Backend.Version != "be-alpha1" || fe.Backend.Slot != "dev1" {
		t.Fatalf("fe answered %+v (backend %+v)", fe, fe.Backend)
	}
	if fe.Slot != "dev1" || fe.Kickoff != kAlpha {
		t.Fatalf("container env: slot %q kickoff %q", fe.Slot, fe.Kickoff)
	}
	first := w.containers("dev1")
	if len(first) != 2 {
		t.Fatalf("running containers: %v", first)
	}

	// The same release again changes nothing and records nothing.
	res, err = w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	if err != nil {
		t.Fatal(err)
	}
	if !res.NoOp || len(res.Plan.Changed()) != 0 {
		t.Fatalf("re-release: NoOp=%v changed=%v", res.NoOp, res.Plan.Changed())
	}
	if again := w.containers("dev1"); again["fe"] != first["fe"] || again["be"] != first["be"] {
		t.Fatalf("re-release recreated containers: %v -> %v", first, again)
	}
	if n := len(w.records("dev1")); n != 1 {
		t.Fatalf("ledger has %d records after a no-op, want 1", n)
	}

	// A new frontend commit: only fe is recreated.
	branch(w.feRepo, kAlpha, "fe.txt")
	w.push("fe", w.feRepo, kAlpha, "fe-alpha2", false)
	res, err = w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Plan.Changed(); len(got) != 1 || got[0] != "fe" {
		t.Fatalf("changed = %v, want [fe]", got)
	}
	second := w.containers("dev1")
	if second["be"] != first["be"] || second["fe"] == first["fe"] {
		t.Fatalf("one-app change: be %s -> %s, fe %s -> %s", first["be"], second["be"], first["fe"], second["fe"])
	}
	if v := w.get("dev1", "fe").Version; v != "fe-alpha2" {
		t.Fatalf("fe version %s", v)
	}

	// A commit CI has not built: refused before anything changes, naming the tag.
	missingHead := branch(w.repo, kAlpha, "be.txt")
	_, err = w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	var nb *registry.NotBuiltError
	if !errors.As(err, &nb) {
		t.Fatalf("missing image: err = %v", err)
	}
	if !strings.Contains(err.Error(), w.cfg.Apps["be"].Image+":"+kAlpha+"-"+missingHead[:7]) || !strings.Contains(err.Error(), "nothing changed on dev1") {
		t.Fatalf("error does not name the missing tag: %v", err)
	}
	if now := w.containers("dev1"); now["be"] != second["be"] || now["fe"] != second["fe"] {
		t.Fatalf("refused release changed containers")
	}
	if n := len(w.records("dev1")); n != 2 {
		t.Fatalf("refused release wrote to the ledger: %d records", n)
	}

	// That commit's image turns out unhealthy: rolled back, the old backend still serves.
	w.push("be", w.repo, kAlpha, "be-broken", true)
	_, err = w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	var de *DeployError
	if !errors.As(err, &de) {
		t.Fatalf("unhealthy release: err = %v", err)
	}
	if de.App != "be" || !de.RolledBack || !strings.Contains(de.Logs, "broken on purpose") {
		t.Fatalf("deploy error: app %q rolled back %v logs %q", de.App, de.RolledBack, de.Logs)
	}
	if fe := w.get("dev1", "fe"); fe.Backend == nil || fe.Backend.Version != "be-alpha1" {
		t.Fatalf("after rollback fe sees backend %+v", fe.Backend)
	}
	recs := w.records("dev1")
	if recs[0].Outcome != ledger.OutcomeRolledBack || !strings.Contains(recs[0].Logs, "broken on purpose") {
		t.Fatalf("failed deploy recorded as %s with logs %q", recs[0].Outcome, recs[0].Logs)
	}
	cur, _ := w.svc.Current(context.Background(), "dev1")
	if cur.ID != recs[1].ID {
		t.Fatalf("current deploy is %s, want the last good one %s", cur.ID, recs[1].ID)
	}

	// Roll back to the deploy before: fe returns to alpha1, by digest.
	rb, err := w.svc.Rollback(context.Background(), RollbackOptions{Slot: "dev1", Reason: "fe regression"})
	if err != nil {
		t.Fatal(err)
	}
	if rb.Action != ledger.ActionRollback || rb.RollbackOf != recs[2].ID || rb.Reason != "fe regression" {
		t.Fatalf("rollback record %+v", rb)
	}
	if v := w.get("dev1", "fe").Version; v != "fe-alpha1" {
		t.Fatalf("after rollback fe is %s", v)
	}

	// Down empties the slot.
	if _, err := w.svc.Down(context.Background(), "dev1", "", false); err != nil {
		t.Fatal(err)
	}
	if c := w.containers("dev1"); len(c) != 0 {
		t.Fatalf("after down: %v", c)
	}
	if cur, _ := w.svc.Current(context.Background(), "dev1"); cur != nil {
		t.Fatalf("current after down: %+v", cur)
	}
}

// Two slots side by side, one mixing kickoffs with --app: no port clash, each frontend
// reaches its own backend by service name.
func TestTwoSlotsSideBySideWithPins(t *testing.T) {
	t.Parallel()
	regtest.EachCompose(t, func(t *testing.T, cmd []string) { testTwoSlotsSideBySideWithPins(t, newWorld(t, cmd)) })
}

func testTwoSlotsSideBySideWithPins(t *testing.T, w *world) {
	w.kickoffBuilt(kAlpha, "alpha")
	w.kickoffBuilt(kBeta, "beta")

	w.releaseAtOnce(
		ReleaseOptions{Slot: "dev1", Kickoff: kAlpha},
		ReleaseOptions{Slot: "dev2", Kickoff: kBeta, Pins: map[string]string{"be": kAlpha}},
	)
	d1, d2 := w.get("dev1", "fe"), w.get("dev2", "fe")
	if d1.Version != "fe-alpha" || d1.Backend == nil || d1.Backend.Version != "be-alpha" || d1.Backend.Slot != "dev1" {
		t.Fatalf("dev1 fe: %+v backend %+v", d1, d1.Backend)
	}
	if d2.Version != "fe-beta" || d2.Backend == nil || d2.Backend.Version != "be-alpha" || d2.Backend.Slot != "dev2" {
		t.Fatalf("dev2 fe: %+v backend %+v", d2, d2.Backend)
	}
	cur, _ := w.svc.Current(context.Background(), "dev2")
	for _, a := range cur.Apps {
		if a.Name == "be" && a.Kickoff != kAlpha {
			t.Fatalf("pinned be recorded as from %q", a.Kickoff)
		}
	}
	states, err := w.svc.States(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		for _, a := range st.Apps {
			if a.Health != ledger.Healthy {
				t.Errorf("%s/%s health %s (%s)", st.Slot, a.Name, a.Health, a.Detail)
			}
		}
	}
}

// Two releases to one slot at once, from two clones (each its own state folder, one ledger):
// the second waits for the first; with --no-wait it fails at once, naming who holds the slot.
func TestConcurrentReleasesToOneSlot(t *testing.T) {
	t.Parallel()
	regtest.EachCompose(t, func(t *testing.T, cmd []string) { testConcurrentReleasesToOneSlot(t, newWorld(t, cmd)) })
}

func testConcurrentReleasesToOneSlot(t *testing.T, w *world) {
	w.kickoffBuilt(kAlpha, "alpha")
	bo := *w.svc
	bo.StateDir, bo.Actor = t.TempDir(), "bo@example.com"

	held, err := bo.lock(context.Background(), "dev1", "release "+kBeta, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha, NoWait: true})
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "bo@example.com (release "+kBeta) {
		t.Fatalf("--no-wait on a busy slot: %v", err)
	}
	held.Unlock()

	o := ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}
	var results [2]*Result
	var errs [2]error
	var wg sync.WaitGroup
	for i, s := range []*Service{w.svc, &bo} {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], errs[i] = s.Release(context.Background(), o) }()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	// One deployed; the other waited, planned again from the new state, and found nothing to do.
	if results[0].NoOp == results[1].NoOp {
		t.Fatalf("NoOp = %v and %v; want exactly one deploy", results[0].NoOp, results[1].NoOp)
	}
	if n := len(w.records("dev1")); n != 1 {
		t.Fatalf("%d ledger records, want 1", n)
	}
	waited := false
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, n := range w.notes {
		if strings.Contains(n, "dev1 is locked by") && strings.Contains(n, "waiting") {
			waited = true
		}
	}
	if !waited {
		t.Fatalf("no waiting message; notes: %q", w.notes)
	}
}

// Ctrl-C during a release (the context cancelled while the health gate waits) puts the
// slot back as it was, like any failure.
func TestInterruptedReleaseRollsBack(t *testing.T) {
	t.Parallel()
	regtest.EachCompose(t, func(t *testing.T, cmd []string) { testInterruptedReleaseRollsBack(t, newWorld(t, cmd)) })
}

func testInterruptedReleaseRollsBack(t *testing.T, w *world) {
	w.kickoffBuilt(kAlpha, "alpha1")
	if _, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}); err != nil {
		t.Fatal(err)
	}
	branch(w.repo, kAlpha, "be.txt")
	w.push("be", w.repo, kAlpha, "be-slow", true)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w.svc.Progress = func(app, state string) {
		if app == "be" && state == "starting" {
			go func() { time.Sleep(time.Second); cancel() }()
		}
	}
	defer func() { w.svc.Progress = nil }()
	_, err := w.svc.Release(ctx, ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	var de *DeployError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &de) || !de.RolledBack {
		t.Fatalf("interrupted release: %v", err)
	}
	if fe := w.get("dev1", "fe"); fe.Backend == nil || fe.Backend.Version != "be-alpha1" {
		t.Fatalf("after the interrupted release fe sees %+v", fe.Backend)
	}
	if recs := w.records("dev1"); recs[0].Outcome != ledger.OutcomeRolledBack {
		t.Fatalf("recorded as %s", recs[0].Outcome)
	}
}

// A release reads the ledger once, whether it deploys, plans a dry run or finds nothing to
// do: the claim, the plan and what to put back on failure come from that one read. So do a
// rollback and a down.
func TestOperationsReadTheLedgerOnce(t *testing.T) {
	t.Parallel()
	regtest.EachCompose(t, func(t *testing.T, cmd []string) { testOperationsReadTheLedgerOnce(t, newWorld(t, cmd)) })
}

func testOperationsReadTheLedgerOnce(t *testing.T, w *world) {
	w.kickoffBuilt(kAlpha, "alpha1")
	store := &countingStore{Store: w.store}
	w.svc.Ledger = store
	ctx := context.Background()
	once := func(what string, op func() error) {
		t.Helper()
		store.lists.Store(0)
		if err := op(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n := store.lists.Load(); n != 1 {
			t.Errorf("%s read the ledger %d times, want once", what, n)
		}
	}
	release := func(o ReleaseOptions) func() error {
		return func() error { _, err := w.release(o); return err }
	}
	once("a release into an empty slot", release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}))
	once("a dry run", release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha, DryRun: true}))
	once("a no-op re-release", release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}))
	branch(w.feRepo, kAlpha, "fe.txt")
	w.push("fe", w.feRepo, kAlpha, "fe-alpha2", false)
	once("a one-app change", release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}))
	once("a rollback", func() error { _, err := w.svc.Rollback(ctx, RollbackOptions{Slot: "dev1"}); return err })
	once("a down", func() error { _, err := w.svc.Down(ctx, "dev1", "", false); return err })
}
