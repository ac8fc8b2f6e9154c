package version

import (
	"context"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestNoRemote(t *testing.T) {
	ctx := context.Background()
	r := gittest.NewLocal(t)
	r.Git("checkout", "-q", "-b", "kickoff-240510-alpha")
	s := open(t, r.Dir)
	if s.Remote != "" {
		t.Fatal("no remote expected")
	}
	a, err := s.Ensure(ctx, "kickoff-240510-alpha")
	if err != nil || a.Version.String() != "0.1.0" {
		t.Fatalf("%+v %v", a, err)
	}
	if got := r.Git("for-each-ref", "--format=%(refname)", "refs/kickoff/"); !strings.Contains(got, "refs/kickoff/versions/0.1.0") {
		t.Fatalf("local refs: %s", got)
	}
}
