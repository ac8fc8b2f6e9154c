package slot

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// lockers are deployers of one project on the local engine, as from two clones or machines
// (each its own state folder: nothing shared but the engine).
func lockers(t *testing.T, actors ...string) []*Service {
	t.Helper()
	regtest.NeedDocker(t)
	cfg := config.Default()
	cfg.Project = fmt.Sprintf("kl%06d", rand.IntN(1e6))
	cfg.Slots = []string{"dev1", "dev2"}
	t.Cleanup(func() { regtest.RemoveProjects(cfg.Project + "-") })
	eng := &compose.Engine{Command: []string{"docker", "compose"}}
	var out []*Service
	for _, a := range actors {
		out = append(out, &Service{Cfg: cfg, StateDir: t.TempDir(), Actor: a,
			Engine: func(string) (*compose.Engine, error) { return eng, nil }})
	}
	return out
}

// A slot's lock is held by one deployer at a time, whichever clone it runs from: with no
// wait the other fails at once naming the holder; otherwise it says who holds it and waits
// until it is released.
func TestLockOneHolderAtATime(t *testing.T) {
	ctx := context.Background()
	s := lockers(t, "ann@example.com", "bo@example.com")
	ann, bo := s[0], s[1]
	held, err := ann.lock(ctx, "dev1", "release kickoff-a", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bo.lock(ctx, "dev1", "release kickoff-b", 0); !errors.Is(err, ErrBusy) ||
		!strings.Contains(err.Error(), "dev1 is locked by ann@example.com (release kickoff-a, on ") || !strings.Contains(err.Error(), "kickoff slot unlock dev1") {
		t.Fatalf("no wait: %v", err)
	}
	h, err := bo.LockHolder(ctx, "dev1")
	if err != nil || h == nil || h.Actor != "ann@example.com" || h.What != "release kickoff-a" || h.Expires.Sub(h.Since) != DefaultLockLease {
		t.Fatalf("holder %+v, %v", h, err)
	}
	// Another slot is free meanwhile.
	other, err := bo.lock(ctx, "dev2", "release kickoff-b", 0)
	if err != nil {
		t.Fatalf("dev2: %v", err)
	}
	other.Unlock()

	var mu sync.Mutex
	var said []string
	bo.Notify = func(m string) { mu.Lock(); said = append(said, m); mu.Unlock() }
	got := make(chan error, 1)
	go func() {
		l, err := bo.lock(ctx, "dev1", "release kickoff-b", time.Minute)
		if err == nil {
			l.Unlock()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("took a held lock: %v", err)
	case <-time.After(time.Second):
	}
	held.Unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still waiting after the lock was released")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(said) != 1 || !strings.HasPrefix(said[0], "dev1 is locked by ann@example.com (release kickoff-a") || !strings.HasSuffix(said[0], "waiting up to 1m0s for it (Ctrl-C to give up)") {
		t.Errorf("told the user %q", said)
	}
	if h, err := bo.LockHolder(ctx, "dev1"); err != nil || h != nil {
		t.Errorf("after both: holder %+v, %v", h, err)
	}
}

// The wait is bounded: after it, the error names the holder.
func TestLockWaitBounded(t *testing.T) {
	ctx := context.Background()
	s := lockers(t, "ann", "bo")
	held, err := s[0].lock(ctx, "dev1", "release", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()
	start := time.Now()
	if _, err := s[1].lock(ctx, "dev1", "release", 700*time.Millisecond); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "still locked by ann (release") {
		t.Fatalf("bounded wait: %v", err)
	}
	if d := time.Since(start); d < 700*time.Millisecond {
		t.Errorf("gave up after %s", d)
	}
	// Giving up while waiting (Ctrl-C) returns the context's error.
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := s[1].lock(cctx, "dev1", "release", time.Minute); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
}

// A holder that died leaves its lock until the lease runs out; then the next deployer takes
// it over, saying whose it was. Unlocking a lock that was taken over leaves the new one.
func TestLockExpiredLeaseTakenOver(t *testing.T) {
	ctx := context.Background()
	s := lockers(t, "ann", "bo")
	ann, bo := s[0], s[1]
	past := time.Now().Add(-time.Hour - DefaultLockLease)
	ann.Now = func() time.Time { return past }
	dead, err := ann.lock(ctx, "dev1", "release kickoff-a", 0)
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	bo.Notify = func(m string) { said = append(said, m) }
	l, err := bo.lock(ctx, "dev1", "release kickoff-b", 0)
	if err != nil {
		t.Fatalf("expired lease: %v", err)
	}
	defer l.Unlock()
	if len(said) != 1 || !strings.Contains(said[0], "dev1 was locked by ann (release kickoff-a") || !strings.HasSuffix(said[0], "whose lease ran out: taking the lock over") {
		t.Errorf("told %q", said)
	}
	dead.Unlock() // the old holder comes back: bo's lock stays
	if h, err := bo.LockHolder(ctx, "dev1"); err != nil || h == nil || h.Actor != "bo" {
		t.Fatalf("holder after the old one unlocked: %+v, %v", h, err)
	}
	// Breaking it (kickoff slot unlock) frees the slot.
	h, _ := ann.LockHolder(ctx, "dev1")
	if err := ann.BreakLock(ctx, "dev1", h); err != nil {
		t.Fatal(err)
	}
	if h, err := bo.LockHolder(ctx, "dev1"); err != nil || h != nil {
		t.Errorf("after breaking: %+v, %v", h, err)
	}
}
