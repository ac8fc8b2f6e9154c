package ledger

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/kickoffhq/kickoff/internal/awsenv"
	"github.com/kickoffhq/kickoff/internal/config"
)

// Open returns the backend .kickoff.yaml chooses: the file in stateDir (the default) or S3
// (ledger.bucket, prefix, keep, region, endpoint; credentials from the usual AWS sources).
func Open(cfg *config.Config, stateDir string) (Store, error) {
	return OpenWith(context.Background(), cfg, stateDir, nil)
}

// OpenWith is Open with a context and what wraps the s3 backend's HTTP transport (nil: none).
func OpenWith(ctx context.Context, cfg *config.Config, stateDir string, wrap awsenv.Wrap) (Store, error) {
	l := cfg.Ledger
	switch l.Backend {
	case "", "file":
		return NewFileStore(filepath.Join(stateDir, FileName)), nil
	case "s3":
		if l.Bucket == "" {
			return nil, fmt.Errorf("ledger.bucket: the s3 ledger needs a bucket name")
		}
		client, err := NewS3Client(ctx, l.Region, l.Endpoint, wrap)
		if err != nil {
			return nil, err
		}
		return &S3Store{Client: client, Bucket: l.Bucket, Prefix: l.Prefix, Keep: l.Keep}, nil
	default:
		return nil, fmt.Errorf("ledger.backend: %q must be file or s3", l.Backend)
	}
}
