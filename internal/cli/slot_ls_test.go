package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestSlotLsFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdSlotLs, "--json", "--no-health"); err != nil || !o.JSON || !o.NoHealth {
		t.Errorf("slot ls: %+v %v", o, err)
	}
	wantUsage(t, newCmdSlotLs, "dev1")
}

func TestSlotLsRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := routesRepo(t)

	// An empty ledger: every configured slot, running nothing.
	f, out, _ := slotFactory(t, r.Dir)
	if err := slotLsRun(&SlotLsOptions{F: f, Ctx: t.Context(), JSON: true, NoHealth: true}); err != nil {
		t.Fatal(err)
	}
	var empty []struct {
		Slot string
		Apps []any
	}
	decode(t, out.Bytes(), &empty)
	if len(empty) != 2 || empty[0].Slot != "dev1" || empty[1].Slot != "dev2" || len(empty[0].Apps) != 0 || len(empty[1].Apps) != 0 {
		t.Errorf("slot ls --json of an empty ledger = %+v, want dev1 and dev2 with no apps", empty)
	}

	seedLedger(t, r.Dir, deployRecord("dev1", k, "0123456789abcdef"),
		ledger.Record{Action: ledger.ActionClaim, Slot: "dev2", Kickoff: k, Actor: "bob@example.com", Outcome: ledger.OutcomeSucceeded,
			Claim: &ledger.Claim{For: k, By: "bob@example.com"}})
	f, out, _ = slotFactory(t, r.Dir)
	if err := slotLsRun(&SlotLsOptions{F: f, Ctx: t.Context(), NoHealth: true}); err != nil {
		t.Fatal(err)
	}
	want := "dev1\tfe\t" + k + "\t0.1.0\t0123456789ab\tacme/fe:" + k + "-0123456\tnot checked\tann@example.com just now\t-\n" +
		"dev2\t-\t-\t-\t-\t-\t-\tempty\t" + k + " (bob@example.com)\n"
	if out.String() != want {
		t.Errorf("slot ls --no-health printed:\n%s\nwant:\n%s", out, want)
	}

	r.Write(".kickoff.yaml", "slots: [dev1\n")
	f, _, _ = slotFactory(t, r.Dir)
	if err := slotLsRun(&SlotLsOptions{F: f, Ctx: t.Context()}); err == nil || !strings.Contains(err.Error(), ".kickoff.yaml") {
		t.Errorf("a broken .kickoff.yaml: err = %v, want it named", err)
	}
}
