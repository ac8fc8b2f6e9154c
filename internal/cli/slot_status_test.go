package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestSlotStatusFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdSlotStatus, "dev2", "--json"); err != nil || o.Slot != "dev2" || !o.JSON {
		t.Errorf("slot status: %+v %v", o, err)
	}
	wantUsage(t, newCmdSlotStatus)
	wantUsage(t, newCmdSlotStatus, "dev1", "dev2")
}

// The paths of `slot status` that need no engine: a slot that is not configured, and a
// claimed slot that runs nothing.
func TestSlotStatusRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := routesRepo(t)
	f, _, _ := slotFactory(t, r.Dir)
	err := slotStatusRun(&SlotStatusOptions{F: f, Ctx: t.Context(), Slot: "dev9"})
	if !isUsage(err) || !strings.Contains(err.Error(), `unknown slot "dev9": configured slots are dev1, dev2`) {
		t.Errorf("dev9: err = %v, want a usage error naming the slots", err)
	}

	seedLedger(t, r.Dir, ledger.Record{Action: ledger.ActionClaim, Slot: "dev2", Kickoff: k, Actor: "bob@example.com",
		Outcome: ledger.OutcomeSucceeded, Claim: &ledger.Claim{For: k, By: "bob@example.com"}})
	f, out, _ := slotFactory(t, r.Dir)
	if err := slotStatusRun(&SlotStatusOptions{F: f, Ctx: t.Context(), Slot: "dev2"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	// The disk line is the engine's (docker system df), or why it could not say.
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "slot:     dev2 (project ") || !strings.HasSuffix(lines[0], "-dev2)") ||
		lines[1] != "claimed:  "+k+" (bob@example.com)" || !strings.HasPrefix(lines[2], "disk:     local engine: ") || lines[3] != "runs:     nothing" {
		t.Errorf("slot status dev2 printed:\n%s", out)
	}

	f, out, _ = slotFactory(t, r.Dir)
	if err := slotStatusRun(&SlotStatusOptions{F: f, Ctx: t.Context(), Slot: "dev2", JSON: true}); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Slot  string
		Claim *ledger.Claim
		Apps  []any
	}
	decode(t, out.Bytes(), &st)
	if st.Slot != "dev2" || st.Claim == nil || st.Claim.For != k || st.Apps == nil || len(st.Apps) != 0 {
		t.Errorf("slot status dev2 --json = %+v, want dev2 claimed for %s with apps []", st, k)
	}
}
