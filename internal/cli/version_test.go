package cli

import (
	"testing"
)

func TestVersionFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
		check   func(*VersionOptions) bool
	}{
		{[]string{"kickoff-240510-x", "--bump", "patch"}, false, func(o *VersionOptions) bool { return o.Kickoff == "kickoff-240510-x" && o.Bump == "patch" }},
		{[]string{"--set", "2.0.0", "--force"}, false, func(o *VersionOptions) bool { return o.Set == "2.0.0" && o.Force }},
		{[]string{"--of", "v1.2.3", "--json"}, false, func(o *VersionOptions) bool { return o.Of == "v1.2.3" && o.JSON }},
		{[]string{"--of", "1.2.3", "kickoff-240510-x"}, true, nil},
		{[]string{"--of", "1.2.3", "--force"}, true, nil},
		{[]string{"--bump", "minor", "--set", "1.0.0"}, true, nil},
		{[]string{"--bump", "huge"}, true, nil},
		{[]string{"a", "b"}, true, nil},
	}
	for _, tt := range tests {
		got, err := parseFlags(t, newCmdVersion, tt.args...)
		if tt.wantErr {
			if !isUsage(err) {
				t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil || got == nil || !tt.check(got) {
			t.Errorf("%v: err = %v, opts = %+v", tt.args, err, got)
		}
	}
}

func TestNotesFlags(t *testing.T) {
	got, err := parseFlags(t, newCmdNotes, "1.2.0", "--since", "1.0.0", "--format", "json")
	if err != nil || got.Target != "1.2.0" || got.Since != "1.0.0" || got.Format != "json" {
		t.Fatalf("err = %v, opts = %+v", err, got)
	}
	wantUsage(t, newCmdNotes, "1.2.0", "--format", "pdf")
}
