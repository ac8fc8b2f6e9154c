package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestSlotFreeFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdSlotFree, "dev2"); err != nil || o.Slot != "dev2" {
		t.Errorf("slot free: %+v %v", o, err)
	}
	wantUsage(t, newCmdSlotFree)
	wantUsage(t, newCmdSlotFree, "dev1", "dev2")
}

func TestSlotFreeRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := routesRepo(t)
	free := func(slot string) (string, error) {
		t.Helper()
		f, _, errOut := slotFactory(t, r.Dir)
		err := slotFreeRun(&SlotFreeOptions{F: f, Ctx: t.Context(), Slot: slot})
		return errOut.String(), err
	}
	if _, err := free("dev9"); !isUsage(err) {
		t.Errorf("dev9: err = %v, want a usage error", err)
	}
	if _, err := free("dev1"); err == nil || !strings.Contains(err.Error(), "dev1 is not claimed") {
		t.Errorf("free an unclaimed slot: err = %v", err)
	}

	seedLedger(t, r.Dir, ledger.Record{Action: ledger.ActionClaim, Slot: "dev1", Kickoff: k, Actor: "bob@example.com",
		Outcome: ledger.OutcomeSucceeded, Claim: &ledger.Claim{For: k, By: "bob@example.com"}})
	if msg, err := free("dev1"); err != nil || msg != "dev1 is free\n" {
		t.Fatalf("free dev1: %v, stderr %q", err, msg)
	}
	f, out, _ := slotFactory(t, r.Dir)
	if err := historyRun(&HistoryOptions{F: f, Ctx: t.Context(), Slot: "dev1", Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if row := strings.Split(out.String(), "\t"); len(row) != 8 || row[2] != "free" || row[4] != k || row[6] != "ann@example.com" {
		t.Errorf("the ledger's newest record of dev1 = %q, want ann freeing it from %s", out, k)
	}
}
