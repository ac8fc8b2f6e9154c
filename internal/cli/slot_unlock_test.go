package cli

import (
	"testing"
	"time"
)

func TestSlotUnlockFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdSlotUnlock, "dev2", "--yes", "--json"); err != nil || o.Slot != "dev2" || !o.Yes || !o.JSON {
		t.Errorf("slot unlock: %+v %v", o, err)
	}
	if o, err := parseFlags(t, newCmdSlotUnlock, "dev2", "-y"); err != nil || !o.Yes {
		t.Errorf("slot unlock -y: %+v %v", o, err)
	}
	wantUsage(t, newCmdSlotUnlock)
	wantUsage(t, newCmdSlotUnlock, "dev1", "dev2")
}

// --wait bounds the wait for another deployer; --wait 0 is --no-wait.
func TestReleaseWaitFlag(t *testing.T) {
	o, err := parseFlags(t, newCmdRelease, "--slot", "dev1")
	if err != nil || o.Wait != 10*time.Minute || o.NoWait {
		t.Errorf("default: %+v %v", o, err)
	}
	if o, err = parseFlags(t, newCmdRelease, "--slot", "dev1", "--wait", "90s"); err != nil || o.Wait != 90*time.Second || o.NoWait {
		t.Errorf("--wait 90s: %+v %v", o, err)
	}
	if o, err = parseFlags(t, newCmdRelease, "--slot", "dev1", "--wait", "0"); err != nil || !o.NoWait {
		t.Errorf("--wait 0: %+v %v", o, err)
	}
	if o, err := parseFlags(t, newCmdSlotRollback, "dev1", "--wait", "2m"); err != nil || o.Wait != 2*time.Minute {
		t.Errorf("rollback --wait 2m: %+v %v", o, err)
	}
}
