package cli

import (
	"strings"
	"testing"
)

func TestSlotRollbackFlags(t *testing.T) {
	rb, err := parseFlags(t, newCmdSlotRollback, "dev2", "01HXYZ", "--reason", "bad build", "--no-wait", "--json")
	if err != nil || rb.Slot != "dev2" || rb.To != "01HXYZ" || rb.Reason != "bad build" || !rb.NoWait || !rb.JSON {
		t.Fatalf("rollback: %v %+v", err, rb)
	}
	if rb, err := parseFlags(t, newCmdSlotRollback, "dev2"); err != nil || rb.To != "" {
		t.Errorf("no deploy id: %v %+v, want the previous deploy", err, rb)
	}
	wantUsage(t, newCmdSlotRollback)
	wantUsage(t, newCmdSlotRollback, "a", "b", "c")
}

// The paths of `slot rollback` that need no engine: the target is chosen from the ledger
// before anything is touched.
func TestSlotRollbackRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := routesRepo(t)
	f, _, _ := slotFactory(t, r.Dir)
	if err := slotRollbackRun(&SlotRollbackOptions{F: f, Ctx: t.Context(), Slot: "dev9"}); !isUsage(err) {
		t.Errorf("dev9: err = %v, want a usage error", err)
	}
	f, _, _ = slotFactory(t, r.Dir)
	err := slotRollbackRun(&SlotRollbackOptions{F: f, Ctx: t.Context(), Slot: "dev1"})
	if err == nil || !strings.Contains(err.Error(), "dev1 has no earlier deploy to roll back to") {
		t.Errorf("empty dev1: err = %v", err)
	}

	seedLedger(t, r.Dir, deployRecord("dev1", k, "0123456789abcdef"))
	f, out, _ := slotFactory(t, r.Dir)
	err = slotRollbackRun(&SlotRollbackOptions{F: f, Ctx: t.Context(), Slot: "dev1", To: "01NOSUCHDEPLOY", JSON: true})
	if err == nil || !strings.Contains(err.Error(), "01NOSUCHDEPLOY") || out.Len() != 0 {
		t.Errorf("an unknown deploy id: err = %v, stdout %q; want the id named, nothing printed", err, out)
	}
}
