package version

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestAssignShowForceAndSet(t *testing.T) {
	ctx := context.Background()
	r := newKickoffs(t, "kickoff-240510-alpha", "kickoff-240511-beta", "kickoff-240512-gamma")
	r.Git("tag", "-a", "-m", "old", "platform/v1.2.0", "main")
	r.Git("tag", "platform/v1.3.0-rc.1", "main") // a pre-release: ignored
	r.Git("push", "-q", "origin", "--tags")
	s := open(t, r.Dir)

	a, err := s.Ensure(ctx, "kickoff-240510-alpha")
	if err != nil || a.Version.String() != "1.3.0" || !a.Assigned {
		t.Fatalf("ensure alpha = %+v, %v", a, err)
	}
	again, err := s.Ensure(ctx, "kickoff-240510-alpha")
	if err != nil || again.Version != a.Version || again.Assigned {
		t.Fatalf("ensure again = %+v, %v", again, err)
	}
	b, err := s.Assign(ctx, "kickoff-240511-beta", AssignOptions{Bump: Patch})
	if err != nil || b.Version.String() != "1.3.1" {
		t.Fatalf("beta = %+v, %v", b, err)
	}
	// --set rules.
	var re *ReleasedError
	if _, err := s.Assign(ctx, "kickoff-240512-gamma", AssignOptions{Set: Version{1, 1, 0}}); !errors.As(err, &re) {
		t.Fatalf("set below release: %v", err)
	}
	if _, err := s.Assign(ctx, "kickoff-240512-gamma", AssignOptions{Set: Version{1, 2, 0}}); !errors.As(err, &re) {
		t.Fatalf("set released: %v", err)
	}
	var rv *ReservedError
	if _, err := s.Assign(ctx, "kickoff-240512-gamma", AssignOptions{Set: Version{1, 3, 0}}); !errors.As(err, &rv) || rv.Kickoff != "kickoff-240510-alpha" {
		t.Fatalf("set reserved: %v", err)
	}
	// Re-assigning needs --force and frees the old version.
	var hv *HasVersionError
	if _, err := s.Assign(ctx, "kickoff-240511-beta", AssignOptions{Set: Version{2, 0, 0}}); !errors.As(err, &hv) {
		t.Fatalf("re-assign without force: %v", err)
	}
	f, err := s.Assign(ctx, "kickoff-240511-beta", AssignOptions{Set: Version{2, 0, 0}, Force: true})
	if err != nil || f.Previous.String() != "1.3.1" || f.Version.String() != "2.0.0" {
		t.Fatalf("force = %+v, %v", f, err)
	}
	book, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := book.Reservation(Version{1, 3, 1}); ok {
		t.Fatal("1.3.1 was not freed")
	}
	if k := book.Kickoff(Version{2, 0, 0}); k != "kickoff-240511-beta" {
		t.Fatalf("2.0.0 belongs to %q", k)
	}
	// Another machine sees the same mapping.
	other := open(t, clone(t, r.Remote))
	ob, err := other.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := ob.Of("kickoff-240510-alpha"); got.Version.String() != "1.3.0" {
		t.Fatalf("other machine sees %v", got.Version)
	}
	if _, err := s.Ensure(ctx, "kickoff-240101-nothing"); !errors.Is(err, ErrNoKickoff) {
		t.Fatalf("missing kickoff: %v", err)
	}
}

func TestRemoteRejects(t *testing.T) {
	ctx := context.Background()
	r := newKickoffs(t, "kickoff-240510-alpha")
	hook := filepath.Join(r.Remote, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho 'refs/kickoff is protected here' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := open(t, r.Dir)
	_, err := s.Ensure(ctx, "kickoff-240510-alpha")
	var rej *gitrepo.PushRejectedError
	if !errors.As(err, &rej) || !strings.Contains(err.Error(), "protected") {
		t.Fatalf("want the remote's rejection, got %v", err)
	}
	if got := r.Git("for-each-ref", "refs/kickoff/"); got != "" {
		t.Fatalf("a rejected reservation left local refs: %s", got)
	}
}

// The race: every helper process below is a separate machine (its own clone) assigning
// a version to its own kickoff at the same moment. Each must get a distinct version and
// together they must fill 0.1.0 .. 0.N.0 with no gaps.
const racers = 10

func TestConcurrentAssignment(t *testing.T) {
	if os.Getenv("KICKOFF_VERSION_RACER") != "" {
		t.Skip("inside a racer")
	}
	var names []string
	for i := range racers {
		names = append(names, fmt.Sprintf("kickoff-2405%02d-racer", i+1))
	}
	r := newKickoffs(t, names...)
	dirs := make([]string, racers)
	for i := range dirs {
		dirs[i] = clone(t, r.Remote)
	}
	start := filepath.Join(t.TempDir(), "go")
	var wg sync.WaitGroup
	results := make([]string, racers)
	errs := make([]error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestRacer$", "-test.count=1")
			cmd.Env = append(gittest.Env(), "KICKOFF_VERSION_RACER="+dirs[i], "KICKOFF_RACER_KICKOFF="+names[i], "KICKOFF_RACER_START="+start)
			out, err := cmd.CombinedOutput()
			results[i], errs[i] = string(out), err
		}()
	}
	// Release all racers at once.
	if err := os.WriteFile(start, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	got := map[string]string{}
	retried := 0
	for i, out := range results {
		if errs[i] != nil {
			t.Fatalf("racer %d: %v\n%s", i, errs[i], out)
		}
		var v string
		var attempts int
		for _, line := range strings.Split(out, "\n") {
			if _, err := fmt.Sscanf(line, "ASSIGNED %s %d", &v, &attempts); err == nil {
				break
			}
		}
		if v == "" {
			t.Fatalf("racer %d printed no assignment:\n%s", i, out)
		}
		if prev, dup := got[v]; dup {
			t.Fatalf("%s assigned twice: %s and %s", v, prev, names[i])
		}
		got[v] = names[i]
		if attempts > 1 {
			retried++
		}
	}
	var want, have []string
	for i := range racers {
		want = append(want, fmt.Sprintf("0.%d.0", i+1))
	}
	for v := range got {
		have = append(have, v)
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		t.Fatalf("versions %v, want exactly %v", have, want)
	}
	// The remote holds exactly those reservations, each pointing back at its kickoff.
	book, err := open(t, r.Dir).Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(book.ReservedVersions()); n != racers {
		t.Fatalf("%d reservations on the remote, want %d", n, racers)
	}
	for v, k := range got {
		pv, _ := Scheme{}.Parse(v, false)
		if book.Kickoff(pv) != k {
			t.Fatalf("%s maps to %q, want %s", v, book.Kickoff(pv), k)
		}
	}
	t.Logf("%d racers, %d of them lost at least one race and retried", racers, retried)
}

// TestRacer is one racing process (see TestConcurrentAssignment).
func TestRacer(t *testing.T) {
	dir := os.Getenv("KICKOFF_VERSION_RACER")
	if dir == "" {
		t.Skip("helper process for TestConcurrentAssignment")
	}
	for {
		if _, err := os.Stat(os.Getenv("KICKOFF_RACER_START")); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	a, err := open(t, dir).Ensure(context.Background(), os.Getenv("KICKOFF_RACER_KICKOFF"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("ASSIGNED %s %d\n", a.Version, a.Attempts)
}
