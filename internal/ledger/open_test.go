package ledger

import (
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
)

func TestOpenPicksBackendFromConfig(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	st, err := Open(cfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	fs, ok := st.(*FileStore)
	if !ok || fs.Path() != filepath.Join(dir, FileName) {
		t.Fatalf("Open(default) = %#v, want the file store in %s", st, dir)
	}
	cfg.Ledger.Backend = "etcd"
	if _, err := Open(cfg, dir); err == nil {
		t.Error("unknown backend accepted")
	}
}
