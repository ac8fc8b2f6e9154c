package ledger

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kickoffhq/kickoff/internal/config"
)

// UnknownSlotError names a slot that is not configured, and the slots that are.
type UnknownSlotError struct {
	Slot  string
	Slots []string // the configured slots
}

func (e *UnknownSlotError) Error() string {
	return fmt.Sprintf("unknown slot %q: configured slots are %s (slots: in %s)", e.Slot, strings.Join(e.Slots, ", "), config.FileName)
}

// CheckSlot is the one rule for slot names: a command may only act on a configured slot.
// The dashboard also shows slots only the ledger knows, as States lists them.
func CheckSlot(slots []string, name string) error {
	if slices.Contains(slots, name) {
		return nil
	}
	return &UnknownSlotError{Slot: name, Slots: slots}
}
