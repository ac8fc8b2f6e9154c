package cli

import (
	"testing"
)

func TestHistoryFlags(t *testing.T) {
	got, err := parseFlags(t, newCmdHistory, "--slot", "dev3", "--kickoff", "kickoff-251118-cart", "--app", "spring", "-n", "5", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if got.Slot != "dev3" || got.Kickoff != "kickoff-251118-cart" || got.App != "spring" || got.Limit != 5 || !got.JSON {
		t.Errorf("options = %+v", got)
	}
	if got, err := parseFlags(t, newCmdHistory); err != nil || got.Limit != 100 || got.JSON {
		t.Errorf("defaults: %+v, %v; want -n 100", got, err)
	}
	for _, args := range [][]string{{"-n", "0"}, {"-n", "-3"}, {"dev3"}} {
		wantUsage(t, newCmdHistory, args...)
	}
}

func TestSlotDiffAndExportArgs(t *testing.T) {
	if d, err := parseFlags(t, newCmdSlotDiff, "dev2", "dev3", "--json"); err != nil || d.A != "dev2" || d.B != "dev3" || !d.JSON {
		t.Errorf("slot diff: %+v, %v", d, err)
	}
	for _, args := range [][]string{{"dev2"}, {"dev1", "dev2", "dev3"}} {
		wantUsage(t, newCmdSlotDiff, args...)
	}
	if e, err := parseFlags(t, newCmdDashboardExport, "public"); err != nil || e.Dir != "public" {
		t.Errorf("dashboard export: %+v, %v", e, err)
	}
}
