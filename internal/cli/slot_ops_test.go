package cli

import (
	"slices"
	"testing"
)

func TestSlotExecFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdSlotExec, "dev2", "db", "--", "psql", "-c", "select 1")
	if err != nil || o.Slot != "dev2" || o.Service != "db" || !slices.Equal(o.Command, []string{"psql", "-c", "select 1"}) || o.NoTTY {
		t.Fatalf("exec: %v %+v", err, o)
	}
	if o, err := parseFlags(t, newCmdSlotExec, "-T", "dev2", "be"); err != nil || len(o.Command) != 0 || !o.NoTTY {
		t.Errorf("a shell: %v %+v", err, o)
	}
	wantUsage(t, newCmdSlotExec, "dev2")
	wantUsage(t, newCmdSlotExec, "dev2", "be", "ls")
}

func TestSlotPruneFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdSlotPrune); err != nil || o.Keep != 3 || o.DryRun {
		t.Fatalf("defaults: %v %+v", err, o)
	}
	if o, err := parseFlags(t, newCmdSlotPrune, "--keep", "1", "--dry-run", "--json"); err != nil || o.Keep != 1 || !o.DryRun || !o.JSON {
		t.Errorf("flags: %v %+v", err, o)
	}
	wantUsage(t, newCmdSlotPrune, "--keep", "0")
	wantUsage(t, newCmdSlotPrune, "dev1")
}
