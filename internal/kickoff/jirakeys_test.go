package kickoff

import (
	"slices"
	"testing"
)

func TestKeyScope(t *testing.T) {
	msg := "PROJ-12 move to UTF-8 and SHA-256 (CVE-2024-1234, ISO-8601), see OPS-7 and PROJ-12"
	if got := JiraKeys(msg); !slices.Equal(got, []string{"PROJ-12", "OPS-7"}) {
		t.Errorf("JiraKeys = %q, want PROJ-12 OPS-7", got)
	}
	if got := ProjectScope([]string{"PROJ"}).Keys(msg); !slices.Equal(got, []string{"PROJ-12"}) {
		t.Errorf("PROJ scope = %q, want PROJ-12", got)
	}
	// A team whose project really is called SHA lists it, and then it counts.
	if got := ProjectScope([]string{"SHA"}).Keys(msg); !slices.Equal(got, []string{"SHA-256"}) {
		t.Errorf("SHA scope = %q", got)
	}
}
