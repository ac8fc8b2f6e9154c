package version

import (
	"context"
	"strings"
	"testing"
)

func TestCandidatesAndFinal(t *testing.T) {
	ctx := context.Background()
	r := newKickoffs(t, "kickoff-240510-alpha")
	s := open(t, r.Dir)
	head := r.Git("rev-parse", "kickoff-240510-alpha")
	c1, err := s.TagCandidate(ctx, "kickoff-240510-alpha", head)
	if err != nil || c1.Tag != "platform/v0.1.0-rc.1" || !c1.Created {
		t.Fatalf("rc1 = %+v, %v", c1, err)
	}
	same, err := s.TagCandidate(ctx, "kickoff-240510-alpha", head)
	if err != nil || same.Tag != c1.Tag || same.Created {
		t.Fatalf("same commit again = %+v, %v", same, err)
	}
	r.Git("checkout", "-q", "kickoff-240510-alpha")
	next := r.Commit("fix.txt", "fix", "fix")
	c2, err := s.TagCandidate(ctx, "kickoff-240510-alpha", next)
	if err != nil || c2.Tag != "platform/v0.1.0-rc.2" {
		t.Fatalf("rc2 = %+v, %v", c2, err)
	}
	if got := r.Git("ls-remote", "origin", "refs/tags/platform/v0.1.0-rc.2^{}"); !strings.HasPrefix(got, next) {
		t.Fatalf("rc2 on the remote: %q", got)
	}
	fin, err := s.TagFinal(ctx, "kickoff-240510-alpha", next)
	if err != nil || fin.Tag != "platform/v0.1.0" || !fin.Created {
		t.Fatalf("final = %+v, %v", fin, err)
	}
	if msg := r.Git("tag", "-l", "--format=%(contents)", "platform/v0.1.0"); !strings.Contains(msg, "kickoff-240510-alpha") {
		t.Fatalf("final tag message %q does not name the kickoff", msg)
	}
	if again, err := s.TagFinal(ctx, "kickoff-240510-alpha", next); err != nil || again.Created {
		t.Fatalf("final again = %+v, %v", again, err)
	}
	if _, err := s.TagFinal(ctx, "kickoff-240510-alpha", head); err == nil || !strings.Contains(err.Error(), "never moved") {
		t.Fatalf("moving the final tag: %v", err)
	}
	if _, err := s.TagCandidate(ctx, "kickoff-240510-alpha", head); err == nil {
		t.Fatal("a released version got a candidate")
	}
}
