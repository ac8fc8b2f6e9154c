package cli

import (
	"strings"
	"testing"
)

func TestSlotLogsFlags(t *testing.T) {
	if lg, err := parseFlags(t, newCmdSlotLogs, "dev2", "fe", "-f", "--tail", "5"); err != nil || lg.Slot != "dev2" || lg.App != "fe" || !lg.Follow || lg.Tail != 5 {
		t.Fatalf("logs: %v %+v", err, lg)
	}
	if lg, err := parseFlags(t, newCmdSlotLogs, "dev2"); err != nil || lg.App != "" || lg.Follow || lg.Tail != 200 {
		t.Errorf("defaults: %v %+v, want every app, the last 200 lines", err, lg)
	}
	wantUsage(t, newCmdSlotLogs)
	wantUsage(t, newCmdSlotLogs, "a", "b", "c")
}

// The paths of `slot logs` that need no engine: what to ask for is checked first.
func TestSlotLogsRun(t *testing.T) {
	r := routesRepo(t)
	for _, tt := range []struct {
		slot, app, want string
		usage           bool
	}{
		{"dev9", "", `unknown slot "dev9": configured slots are dev1, dev2`, true},
		{"dev1", "db", "dev1 runs nothing: release a kickoff there first", false},
		{"dev1", "", "dev1 runs nothing: release a kickoff there first", false},
	} {
		f, out, _ := slotFactory(t, r.Dir)
		err := slotLogsRun(&SlotLogsOptions{F: f, Ctx: t.Context(), Slot: tt.slot, App: tt.app, Tail: 200})
		if err == nil || !strings.Contains(err.Error(), tt.want) || isUsage(err) != tt.usage || out.Len() != 0 {
			t.Errorf("slot logs %s %s: err = %v (usage %t), stdout %q; want %q (usage %t)", tt.slot, tt.app, err, isUsage(err), out, tt.want, tt.usage)
		}
	}
}
