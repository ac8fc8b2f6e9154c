package slot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// A slot's lock is held by one release at a time: --no-wait fails at once naming the
// holder; otherwise the second one says who holds it and waits until it is released.
func TestLockOneHolderAtATime(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	ann := &Service{StateDir: dir, Actor: "ann@example.com", Now: func() time.Time { return at }}
	held, err := ann.lock(ctx, "dev1", "release kickoff-a", false)
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	bo := &Service{StateDir: dir, Actor: "bo@example.com", Notify: func(m string) { said = append(said, m) }}
	holder := "ann@example.com (release kickoff-a, pid "
	if _, err := bo.lock(ctx, "dev1", "release kickoff-b", true); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "dev1 is locked by "+holder) || !strings.Contains(err.Error(), "since 2026-11-25T09:00:00Z)") {
		t.Fatalf("--no-wait: %v", err)
	}
	// Another slot is free meanwhile.
	other, err := bo.lock(ctx, "dev2", "release kickoff-b", true)
	if err != nil {
		t.Fatalf("dev2: %v", err)
	}
	other.Unlock()

	got := make(chan error, 1)
	go func() {
		l, err := bo.lock(ctx, "dev1", "release kickoff-b", false)
		if err == nil {
			l.Unlock()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("took a held lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	held.Unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still waiting after the lock was released")
	}
	if len(said) != 1 || !strings.HasPrefix(said[0], "dev1 is locked by "+holder) || !strings.HasSuffix(said[0], "waiting for it (Ctrl-C to give up)") {
		t.Errorf("told the user %q", said)
	}
}

// Giving up while waiting (Ctrl-C) returns the context's error.
func TestLockWaitCancelled(t *testing.T) {
	dir := t.TempDir()
	held, err := (&Service{StateDir: dir, Actor: "ann"}).lock(context.Background(), "dev1", "release", false)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := (&Service{StateDir: dir, Actor: "bo"}).lock(ctx, "dev1", "release", false); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
}

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
