package version

import (
	"context"
	"testing"
)

func TestVersionsOf(t *testing.T) {
	ctx := context.Background()
	r := newKickoffs(t, "kickoff-240510-alpha", "kickoff-240511-beta")
	s := open(t, r.Dir)
	if _, err := s.Ensure(ctx, "kickoff-240510-alpha"); err != nil {
		t.Fatal(err)
	}
	book, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := book.VersionsOf([]string{"kickoff-240510-alpha", "kickoff-240511-beta", "kickoff-240512-gone"})
	if len(got) != 1 || got["kickoff-240510-alpha"] != "0.1.0" {
		t.Errorf("VersionsOf = %v, want only alpha at 0.1.0", got)
	}
}
