package version

import (
	"context"
	"strings"
	"testing"
)

func TestTagShipped(t *testing.T) {
	ctx := context.Background()
	const alpha, beta, gamma = "kickoff-240510-alpha", "kickoff-240511-beta", "kickoff-240512-gamma"
	r := newKickoffs(t, alpha, beta, gamma)
	s := open(t, r.Dir)
	merge := func(k string) string {
		r.Git("merge", "-q", "--no-ff", "--no-edit", k)
		return r.Git("rev-parse", "HEAD")
	}

	// No tag yet: the version is assigned and the final tag goes on the main commit.
	mainAlpha := merge(alpha)
	got, err := s.TagShipped(ctx, alpha, mainAlpha)
	if err != nil || got.Tag != "platform/v0.1.0" || got.Commit != mainAlpha || !got.Created {
		t.Fatalf("TagShipped(alpha) = %+v, %v; want platform/v0.1.0 created on %s", got, err, mainAlpha)
	}
	if again, err := s.TagShipped(ctx, alpha, mainAlpha); err != nil || again.Tag != got.Tag || again.Created {
		t.Fatalf("TagShipped(alpha) again = %+v, %v; want the same tag, not created", again, err)
	}

	// Tagged before finish on the kickoff's head, which main contains: that tag stays.
	betaHead := r.Git("rev-parse", beta)
	tagged, err := s.TagFinal(ctx, beta, betaHead)
	if err != nil {
		t.Fatal(err)
	}
	mainBeta := merge(beta)
	got, err = s.TagShipped(ctx, beta, mainBeta)
	if err != nil || got.Tag != tagged.Tag || got.Commit != betaHead || got.Created {
		t.Fatalf("TagShipped(beta) = %+v, %v; want %s kept on %s", got, err, tagged.Tag, betaHead)
	}

	// A final tag put by hand on a commit main does not contain (kickoff tag refuses a
	// commit that is not a build of the kickoff): an error, and no tag moves.
	if _, err := s.Ensure(ctx, gamma); err != nil {
		t.Fatal(err)
	}
	r.Git("checkout", "-q", "-b", "experiment", "main")
	experiment := r.Commit("x.txt", "x", "experiment")
	if _, err := s.TagFinal(ctx, gamma, experiment); err == nil || !strings.Contains(err.Error(), "not a build of "+gamma) {
		t.Fatalf("TagFinal(gamma, experiment) = %v, want it refused", err)
	}
	r.Git("tag", "-a", "-m", "by hand", "platform/v0.3.0", experiment)
	r.Git("push", "-q", "origin", "platform/v0.3.0")
	r.Git("checkout", "-q", "main")
	mainGamma := merge(gamma)
	_, err = s.TagShipped(ctx, gamma, mainGamma)
	if err == nil || !strings.HasPrefix(err.Error(), "final platform tag: ") || !strings.Contains(err.Error(), "never moved") {
		t.Fatalf("TagShipped(gamma) with its tag off main: %v", err)
	}
	if on := r.Git("rev-parse", "platform/v0.3.0^{commit}"); on != experiment {
		t.Fatalf("platform/v0.3.0 moved to %s", on)
	}
}
