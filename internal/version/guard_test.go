package version

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Lookup shows without writing; a reservation below a release is warned about, by Lookup
// and by Ensure (which release and tag call).
func TestLookupAndStaleWarning(t *testing.T) {
	ctx := context.Background()
	const beta = "kickoff-240511-beta"
	r := newKickoffs(t, "kickoff-240510-alpha", beta)
	s := open(t, r.Dir)
	var warnings []string
	s.Warn = func(msg string) { warnings = append(warnings, msg) }

	a, has, err := s.Lookup(ctx, "kickoff-240510-alpha")
	if err != nil || has || a.Kickoff != "kickoff-240510-alpha" || a.Commit == "" {
		t.Fatalf("Lookup before any version = %+v, %v, %v", a, has, err)
	}
	if refs := r.Git("ls-remote", "origin", "refs/kickoff/*"); refs != "" {
		t.Fatalf("Lookup wrote: %s", refs)
	}
	if _, err := s.Ensure(ctx, "kickoff-240510-alpha"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assign(ctx, beta, AssignOptions{Set: Version{2, 0, 0}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TagFinal(ctx, beta, beta); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Fatalf("warned before anything was stale: %q", warnings)
	}
	a, has, err = s.Lookup(ctx, "kickoff-240510-alpha")
	if err != nil || !has || a.Tag != "platform/v0.1.0" {
		t.Fatalf("Lookup = %+v, %v, %v", a, has, err)
	}
	if _, err := s.Ensure(ctx, "kickoff-240510-alpha"); err != nil {
		t.Fatal(err)
	}
	want := "kickoff-240510-alpha holds platform/v0.1.0, below platform/v2.0.0 which is already released"
	if len(warnings) != 2 || !strings.HasPrefix(warnings[0], want) || warnings[1] != warnings[0] {
		t.Errorf("warnings = %q, want twice %q", warnings, want)
	}
	if hi, stale := a.Book.Stale(Version{2, 0, 0}); stale {
		t.Errorf("a released version is stale below %s", hi)
	}
}

// Freeing a live kickoff's version needs Force, and says what was freed.
func TestFreeLiveNeedsForce(t *testing.T) {
	ctx := context.Background()
	const k = "kickoff-240510-alpha"
	r := newKickoffs(t, k)
	s := open(t, r.Dir)
	if _, err := s.Ensure(ctx, k); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TagCandidate(ctx, k, k); err != nil {
		t.Fatal(err)
	}
	var live *LiveKickoffError
	if _, err := s.Free(ctx, Version{0, 1, 0}, FreeOptions{}); !errors.As(err, &live) || live.Kickoff != k {
		t.Fatalf("Free without force = %v", err)
	}
	if got := r.Git("ls-remote", "origin", "refs/kickoff/versions/0.1.0"); got == "" {
		t.Fatal("refused, yet freed")
	}
	f, err := s.Free(ctx, Version{0, 1, 0}, FreeOptions{Force: true})
	if err != nil || f.Kickoff != k || !f.Live || len(f.Candidates) != 1 || f.Candidates[0] != "platform/v0.1.0-rc.1" {
		t.Fatalf("Free --force = %+v, %v", f, err)
	}
	r.Git("push", "-q", "origin", ":"+k)
	r.Git("branch", "-q", "-D", k)
	r.Git("fetch", "-q", "--prune", "origin")
	if _, err := s.Ensure(ctx, "kickoff-240510-alpha"); err == nil {
		t.Fatal("Ensure of a deleted kickoff worked")
	}
}

// A tag on another kickoff's commit is refused naming whose build it is, and reserves
// nothing for the kickoff on the way.
func TestTagRefusesAnotherKickoffsCommit(t *testing.T) {
	ctx := context.Background()
	const alpha, beta = "kickoff-240510-alpha", "kickoff-240511-beta"
	r := newKickoffs(t, alpha, beta)
	s := open(t, r.Dir)
	_, err := s.TagCandidate(ctx, alpha, beta)
	var nc *NotCarriedError
	if !errors.As(err, &nc) || nc.Kickoff != alpha || len(nc.Others) != 1 || nc.Others[0] != beta {
		t.Fatalf("TagCandidate(alpha, beta's head) = %v", err)
	}
	if !strings.Contains(err.Error(), "not a build of "+alpha) || !strings.Contains(err.Error(), "nothing was tagged") {
		t.Errorf("message: %v", err)
	}
	if refs := r.Git("ls-remote", "origin", "refs/kickoff/*", "refs/tags/*"); refs != "" {
		t.Errorf("a refused tag left refs: %s", refs)
	}
	if _, err := s.TagFinal(ctx, alpha, "main"); !errors.As(err, &nc) {
		t.Errorf("TagFinal(alpha, main) = %v", err)
	}
}
