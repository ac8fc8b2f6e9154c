package ledger

import (
	"fmt"
	"path/filepath"

	"github.com/kickoffhq/kickoff/internal/config"
)

// Open returns the backend .kickoff.yaml chooses: the file in stateDir (the default) or S3.
func Open(cfg *config.Config, stateDir string) (Store, error) {
	switch cfg.Ledger.Backend {
	case "", "file":
		return NewFileStore(filepath.Join(stateDir, FileName)), nil
	default:
		return nil, fmt.Errorf("ledger.backend: %q must be file or s3", cfg.Ledger.Backend)
	}
}
