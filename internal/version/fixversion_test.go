package version

import "testing"

func TestVersionName(t *testing.T) {
	s := &Store{Scheme: Scheme{Prefix: "platform/v"}}
	a := Assignment{Version: Version{Major: 1, Minor: 4}, Kickoff: "kickoff-240510-alpha"}
	for _, tc := range []struct{ tmpl, want string }{
		{"", "platform/v1.4.0"},
		{"{{version}}", "1.4.0"},
		{"Release {{tag}} ({{kickoff}})", "Release platform/v1.4.0 (kickoff-240510-alpha)"},
		{"fixed", "fixed"},
	} {
		if got := s.VersionName(tc.tmpl, a); got != tc.want {
			t.Errorf("VersionName(%q) = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
}
