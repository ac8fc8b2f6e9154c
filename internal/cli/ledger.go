package cli

import (
	"context"
	"errors"
	"strings"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// openLedger opens the configured ledger backend, for every command that reads or writes it.
// Warnings about skipped records go to stderr; S3 requests are logged with --verbose.
// Outside a repository only the s3 backend works (the file lives in the repository's state dir).
func openLedger(ctx context.Context, f *Factory) (ledger.Store, *config.Config, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	stateDir := ""
	repo, err := f.Repo()
	switch {
	case err == nil:
		stateDir = repo.StateDir(cfg.StateDir)
	case cfg.Ledger.Backend == "s3":
	case errors.Is(err, gitrepo.ErrNotRepo) && cfg.StateDir != "":
		stateDir = cfg.StateDir
	default:
		return nil, nil, err
	}
	st, err := ledger.OpenWith(ctx, cfg, stateDir, awsLog)
	if err != nil {
		return nil, nil, err
	}
	warn := func(msg string) { f.IO.Eprintf("warning: %s\n", msg) }
	switch s := st.(type) {
	case *ledger.FileStore:
		s.Warn = warn
	case *ledger.S3Store:
		s.Warn = warn
	}
	return st, cfg, nil
}

// checkSlot rejects a slot that is not configured (ledger.CheckSlot) as a usage error: exit
// 2, as README's exit codes say for a bad argument. Every command naming a slot checks here
// first; the slot service keeps the same rule for its other callers.
func checkSlot(cfg *config.Config, slot string) error {
	if err := ledger.CheckSlot(cfg.Slots, slot); err != nil {
		return FlagErrorf("%w", err)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func issueKeys(is []ledger.Issue) string {
	keys := make([]string, len(is))
	for i, x := range is {
		keys[i] = x.Key
	}
	return strings.Join(keys, ", ")
}
