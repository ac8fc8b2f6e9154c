package cli

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
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

// The file ledger lives in the repository's state folder; outside a repository it needs
// state_dir (or the s3 backend), and says why not otherwise.
func TestOpenLedger(t *testing.T) {
	r := routesRepo(t)
	seedLedger(t, r.Dir, deployRecord("dev1", "kickoff-240510-x", "0123456789abcdef"))
	f, _, _ := slotFactory(t, r.Dir)
	st, cfg, err := openLedger(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	if recs, err := st.List(t.Context(), ledger.Filter{}); err != nil || len(recs) != 1 || len(cfg.Slots) != 2 {
		t.Errorf("the repository's ledger: %d records, %v; slots %v", len(recs), err, cfg.Slots)
	}

	outside := t.TempDir()
	f, _, _ = slotFactory(t, outside)
	if _, _, err := openLedger(t.Context(), f); !errors.Is(err, gitrepo.ErrNotRepo) {
		t.Errorf("outside a repository: err = %v, want %v", err, gitrepo.ErrNotRepo)
	}
	f, _, _ = slotFactory(t, outside)
	f.Env = append(f.Env, "KICKOFF_STATE_DIR="+filepath.Join(outside, "state"))
	if st, _, err = openLedger(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	if recs, err := st.List(t.Context(), ledger.Filter{}); err != nil || len(recs) != 0 {
		t.Errorf("state_dir outside a repository: %v, %v; want an empty ledger", recs, err)
	}
}
