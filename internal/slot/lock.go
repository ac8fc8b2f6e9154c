package slot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// ErrBusy is returned with --no-wait when another release holds the slot.
var ErrBusy = errors.New("slot is busy")

// Lock is a held slot lock.
type Lock struct{ fl *flock.Flock }

// Unlock releases the lock.
func (l *Lock) Unlock() { l.fl.Unlock() }

// lock takes the slot's lock file (an OS lock, released if the process dies). When another
// process holds it: with noWait fail at once, else say who holds it and wait.
func (s *Service) lock(ctx context.Context, slot, what string, noWait bool) (*Lock, error) {
	rel := filepath.Join("locks", slot+".lock")
	fl, err := gitrepo.StateLock(s.StateDir, rel)
	if err != nil {
		return nil, fmt.Errorf("lock slot %s: %w", slot, err)
	}
	holderPath := fl.Path() + ".holder"
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock slot %s: %w", slot, err)
	}
	if !ok {
		holder, _ := os.ReadFile(holderPath)
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "another kickoff process"
		}
		if noWait {
			return nil, fmt.Errorf("%w: %s is locked by %s; try again when it is done, or drop --no-wait to wait", ErrBusy, slot, who)
		}
		s.notify("%s is locked by %s; waiting for it (Ctrl-C to give up)", slot, who)
		ok, err = fl.TryLockContext(ctx, 200*time.Millisecond)
		if err != nil || !ok {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("lock slot %s: %w", slot, err)
		}
	}
	info := fmt.Sprintf("%s (%s, pid %d, since %s)", s.Actor, what, os.Getpid(), s.now().UTC().Format(time.RFC3339))
	_ = gitrepo.WriteStateFile(s.StateDir, rel+".holder", []byte(info+"\n"))
	return &Lock{fl: fl}, nil
}
