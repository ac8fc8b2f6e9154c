package slot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
)

// Defaults of the slot lock.
const (
	// DefaultLockWait is how long a deployer waits for another's lock before giving up.
	DefaultLockWait = 10 * time.Minute
	// DefaultLockLease is how long a lock holds before another deployer may take it over as
	// left by a deployer that died. The lease is never renewed, so it is longer than any
	// release: at least twice the longest health_timeout plus ten minutes (pulls, rollback).
	DefaultLockLease = 30 * time.Minute
)

// ErrBusy is returned when another deployer holds the slot (at once with --no-wait, else
// after --wait ran out).
var ErrBusy = errors.New("slot is busy")

// Lock is a held slot lock: a container on the slot's Docker host (compose.CreateLock), so
// every deployer of the slot, from any clone or machine, meets the same one.
type Lock struct {
	eng *compose.Engine
	id  string
}

// Unlock releases the lock; it runs to its end even when the command was cancelled.
func (l *Lock) Unlock() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = l.eng.RemoveLock(ctx, l.id)
}

// LockName is the name of the slot's lock container on its Docker host: one per compose
// project, so two clones with the same project name share it.
func (s *Service) LockName(slot string) string { return "kickoff-lock-" + s.Project(slot) }

// lockWait is how long a command waits for the lock: none with noWait, else wait (0: the
// default).
func lockWait(noWait bool, wait time.Duration) time.Duration {
	switch {
	case noWait:
		return 0
	case wait <= 0:
		return DefaultLockWait
	}
	return wait
}

// lease is how long this deployer's lock holds: DefaultLockLease, or longer when an app's
// health timeout is long.
func (s *Service) lease() time.Duration {
	l := DefaultLockLease
	for _, a := range s.Cfg.Apps {
		if d := 2*a.HealthTimeout + 10*time.Minute; d > l {
			l = d
		}
	}
	return l
}

// lock takes the slot's lock on its Docker host. When another deployer holds it: a lease
// that ran out is broken (its holder died); else with wait 0 fail at once naming the
// holder, or say who holds it and wait up to wait.
func (s *Service) lock(ctx context.Context, slot, what string, wait time.Duration) (*Lock, error) {
	eng, err := s.Engine(slot)
	if err != nil {
		return nil, err
	}
	machine, _ := os.Hostname()
	name := s.LockName(slot)
	deadline := time.Now().Add(wait)
	told := ""
	for {
		now := s.now()
		id, err := eng.CreateLock(ctx, name, compose.LockInfo{
			Actor: s.Actor, What: what, Machine: machine, PID: os.Getpid(), Since: now, Expires: now.Add(s.lease()),
		})
		if err == nil {
			return &Lock{eng: eng, id: id}, nil
		}
		var held *compose.LockHeldError
		if !errors.As(err, &held) {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("lock slot %s: %w", slot, err)
		}
		h := held.Holder
		switch {
		case h.Expired(s.now()):
			s.notify("%s was locked by %s, whose lease ran out: taking the lock over", slot, h.String())
			if err := eng.RemoveLock(ctx, h.ID); err != nil {
				return nil, fmt.Errorf("lock slot %s: %w", slot, err)
			}
			continue
		case wait <= 0:
			return nil, fmt.Errorf("%w: %s is locked by %s; try again when it is done, wait for it with --wait DURATION, or break a stale lock with `kickoff slot unlock %s`", ErrBusy, slot, h.String(), slot)
		case time.Now().After(deadline):
			return nil, fmt.Errorf("%w: %s is still locked by %s after waiting %s; try again later, or break a stale lock with `kickoff slot unlock %s`", ErrBusy, slot, h.String(), wait, slot)
		}
		if told != h.ID {
			s.notify("%s is locked by %s; waiting up to %s for it (Ctrl-C to give up)", slot, h.String(), wait)
			told = h.ID
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// LockHolder says who holds the slot's lock; nil when nobody does.
func (s *Service) LockHolder(ctx context.Context, slot string) (*compose.LockInfo, error) {
	eng, err := s.Engine(slot)
	if err != nil {
		return nil, err
	}
	return eng.ReadLock(ctx, s.LockName(slot))
}

// BreakLock removes the lock h (as LockHolder read it): by its id, so a lock someone took
// since is left alone.
func (s *Service) BreakLock(ctx context.Context, slot string, h *compose.LockInfo) error {
	eng, err := s.Engine(slot)
	if err != nil {
		return err
	}
	return eng.RemoveLock(ctx, h.ID)
}
