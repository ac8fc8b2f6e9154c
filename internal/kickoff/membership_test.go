package kickoff_test

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Once the kickoff is merged into main, ancestry can no longer tell which kickoff a feature
// belongs to: a clone without the local git config still knows it from the pushed
// membership ref; without one, it does not.
func TestMembershipRecord(t *testing.T) {
	for _, tc := range []struct {
		name   string
		record bool
		want   string
	}{
		{"recorded", true, "kickoff-240510-dash"},
		{"not recorded", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := gittest.New(t)
			pushKickoff(g)
			pushFeature(g, tc.record)
			mergeToMain(g, "feature/PROJ-1", "kickoff-240510-dash")
			g.Git("config", "--unset", "branch.feature/PROJ-1.kickoff")
			// A ref under the prefix that names no kickoff is ignored.
			g.Git("update-ref", kickoff.MemberRefPrefix+"not-a-kickoff/feature/PROJ-1", "HEAD")
			n, ok := env(t, g).KickoffOf("feature/PROJ-1")
			if got := map[bool]string{true: n.String(), false: ""}[ok]; got != tc.want {
				t.Errorf("KickoffOf = %q, want %q", got, tc.want)
			}
		})
	}
}

// The local git config wins over a membership ref.
func TestMembershipConfigFirst(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, true)
	g.Git("config", "branch.feature/PROJ-1.kickoff", "kickoff-240512-other")
	n, ok := env(t, g).KickoffOf("feature/PROJ-1")
	if !ok || n.String() != "kickoff-240512-other" {
		t.Errorf("KickoffOf = %v %v, want the configured kickoff-240512-other", n, ok)
	}
}
