package gitrepo

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A symlinked locks/ folder, a planted compose.yaml.tmp and a symlinked ledger.jsonl were
// written through to their targets: none of them is followed now.
func TestStateFilesRefuseSymlinks(t *testing.T) {
	state, outside := filepath.Join(t.TempDir(), "kickoff"), t.TempDir()
	if _, err := StateFolder(state, ""); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(state); st.Mode().Perm() != StateDirMode {
		t.Errorf("state folder mode %v, want %v", st.Mode().Perm(), StateDirMode)
	}
	if err := os.Symlink(outside, filepath.Join(state, "locks")); err != nil {
		t.Fatal(err)
	}
	if _, err := StateLock(state, "locks/dev1.lock"); !errors.Is(err, ErrStateSymlink) {
		t.Errorf("lock under a symlinked locks/: %v, want ErrStateSymlink", err)
	}
	target := filepath.Join(outside, "victim")
	if err := os.WriteFile(target, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(state, "ledger.jsonl")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStateFile(state, "ledger.jsonl", os.O_WRONLY|os.O_APPEND|os.O_CREATE); !errors.Is(err, ErrStateSymlink) {
		t.Errorf("open a symlinked ledger.jsonl: %v, want ErrStateSymlink", err)
	}
	if err := WriteStateFile(state, "ledger.jsonl", []byte("x")); !errors.Is(err, ErrStateSymlink) {
		t.Errorf("replace a symlinked file: %v, want ErrStateSymlink", err)
	}
	// The old predictable temporary name, planted as a link: never used.
	if err := os.MkdirAll(filepath.Join(state, "slots", "dev1"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(state, "slots", "dev1", "compose.yaml.tmp")); err != nil {
		t.Fatal(err)
	}
	if err := WriteStateFile(state, "slots/dev1/compose.yaml", []byte("services: {}\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep\n" {
		t.Errorf("a file outside the state folder was written: %q", b)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("files appeared outside the state folder: %v", entries)
	}
	st, err := os.Lstat(filepath.Join(state, "slots", "dev1", "compose.yaml"))
	if err != nil || st.Mode().Perm() != StateFileMode {
		t.Errorf("compose.yaml: %v %v, want mode %v", st.Mode(), err, StateFileMode)
	}
	if _, err := StateFolder(state, "../x"); err == nil {
		t.Error("a folder outside the state folder was accepted")
	}
}
