package cli

import (
	"errors"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// Every command naming a slot rejects an unconfigured one the same way: the ledger's message,
// exit 2 (README: a bad argument is a usage error).
func TestUnknownSlotIsAUsageError(t *testing.T) {
	cfg := config.Default()
	if err := checkSlot(cfg, "dev1"); err != nil {
		t.Fatalf("dev1: %v", err)
	}
	err := checkSlot(cfg, "dev9")
	if exitCode(err) != ExitUsage || !errors.As(err, new(*ledger.UnknownSlotError)) {
		t.Errorf("dev9: %v (exit %d), want exit %d", err, exitCode(err), ExitUsage)
	}
}
