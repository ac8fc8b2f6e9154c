package ledger

import (
	"errors"
	"testing"
)

func TestCheckSlot(t *testing.T) {
	slots := []string{"dev1", "dev2"}
	if err := CheckSlot(slots, "dev2"); err != nil {
		t.Errorf("dev2: %v", err)
	}
	err := CheckSlot(slots, "dev9")
	var us *UnknownSlotError
	if !errors.As(err, &us) || us.Slot != "dev9" || err.Error() != `unknown slot "dev9": configured slots are dev1, dev2 (slots: in .kickoff.yaml)` {
		t.Errorf("dev9: %v", err)
	}
}
