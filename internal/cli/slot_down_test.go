package cli

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

func TestSlotDownFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdSlotDown, "dev2", "--reason", "disk full", "--no-wait"); err != nil || o.Slot != "dev2" || o.Reason != "disk full" || !o.NoWait {
		t.Errorf("slot down: %+v %v", o, err)
	}
	wantUsage(t, newCmdSlotDown)
	wantUsage(t, newCmdSlotDown, "dev1", "dev2")
}

// `slot down` asks the engine to remove the slot's project as the ledger's current deploy
// describes it (its containers may be gone already), and records that with the reason.
func TestSlotDownRun(t *testing.T) {
	r := routesRepo(t)
	f, _, _ := slotFactory(t, r.Dir)
	if err := slotDownRun(&SlotDownOptions{F: f, Ctx: t.Context(), Slot: "dev9"}); !isUsage(err) {
		t.Errorf("dev9: err = %v, want a usage error", err)
	}

	regtest.NeedDocker(t)
	project := fmt.Sprintf("kc%06d", rand.IntN(1e6)) // apart from other tests' slots
	dep := deployRecord("dev1", "kickoff-240510-dashboard", "0123456789abcdef")
	dep.Apps[0].Digest = "sha256:" + strings.Repeat("ab", 32)
	seedLedger(t, r.Dir, dep)
	f, _, errOut := slotFactory(t, r.Dir)
	f.Env = append(f.Env, "KICKOFF_PROJECT="+project)
	if err := slotDownRun(&SlotDownOptions{F: f, Ctx: t.Context(), Slot: "dev1", Reason: "disk full"}); err != nil {
		t.Fatal(err)
	}
	msg := errOut.String()
	id, ok := strings.CutPrefix(strings.TrimSuffix(msg, ")\n"), "dev1 is down (recorded as ")
	if !ok || id == "" {
		t.Fatalf("slot down dev1 said %q", msg)
	}
	f, out, _ := slotFactory(t, r.Dir)
	if err := historyRun(&HistoryOptions{F: f, Ctx: t.Context(), Slot: "dev1", Limit: 1, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var recs []struct{ ID, Action, Reason, Actor string }
	decode(t, out.Bytes(), &recs)
	if len(recs) != 1 || recs[0].ID != id || recs[0].Action != "down" || recs[0].Reason != "disk full" || recs[0].Actor != "ann@example.com" {
		t.Errorf("the ledger's newest record of dev1 = %+v, want the down %s", recs, id)
	}
}
