package slot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// A symlinked locks/ folder sent lock and holder files wherever it pointed.
func TestLockRefusesSymlinkedLocksFolder(t *testing.T) {
	state, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(state, "locks")); err != nil {
		t.Fatal(err)
	}
	s := &Service{StateDir: state, Actor: "ann"}
	if l, err := s.lock(context.Background(), "dev1", "release", true); !errors.Is(err, gitrepo.ErrStateSymlink) {
		if l != nil {
			l.Unlock()
		}
		t.Fatalf("lock: %v, want ErrStateSymlink", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("lock files written through the link: %v", entries)
	}

	// A real folder: the lock and its holder file are the user's alone.
	os.Remove(filepath.Join(state, "locks"))
	l, err := s.lock(context.Background(), "dev1", "release", true)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	for _, name := range []string{"locks", "locks/dev1.lock", "locks/dev1.lock.holder"} {
		st, err := os.Stat(filepath.Join(state, name))
		if err != nil {
			t.Fatal(err)
		}
		if want := gitrepo.StateFileMode; st.IsDir() && st.Mode().Perm() != gitrepo.StateDirMode || !st.IsDir() && st.Mode().Perm() != want {
			t.Errorf("%s mode %v", name, st.Mode().Perm())
		}
	}
}
