package cli

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// The kickoff a command works on: the one named, else the checked-out branch's.
func TestKickoffArg(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.NewLocal(t)
	newKickoff(t, r, k)
	r.Git("branch", "feature/PROJ-7")
	tests := []struct {
		name, checkout, want string
		usage                bool
	}{
		{"kickoff-240601-other", "main", "kickoff-240601-other", false},
		{"dashboard", k, "", true}, // not a kickoff name
		{"", k, k, false},
		{"", "feature/PROJ-7", k, false},
		{"", "main", "", true},
	}
	for _, tt := range tests {
		r.Git("checkout", "-q", tt.checkout)
		f, _, _ := repoFactory(t, r.Dir)
		got, err := kickoffArg(f, tt.name)
		if tt.usage {
			if !isUsage(err) {
				t.Errorf("%q on %s: %q, %v; want a usage error", tt.name, tt.checkout, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q on %s: %q, %v; want %q", tt.name, tt.checkout, got, err, tt.want)
		}
	}
}
