package cli

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kickoffhq/kickoff/internal/term"
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
		f := &Factory{IO: term.Test(nil, &bytes.Buffer{}, &bytes.Buffer{})}
		var got *VersionOptions
		cmd := newCmdVersion(f, func(o *VersionOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		err := cmd.Execute()
		if tt.wantErr {
			var fe *FlagError
			if !errors.As(err, &fe) {
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
	f := &Factory{IO: term.Test(nil, &bytes.Buffer{}, &bytes.Buffer{})}
	var got *NotesOptions
	cmd := newCmdNotes(f, func(o *NotesOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"1.2.0", "--since", "1.0.0", "--format", "json"})
	if err := cmd.Execute(); err != nil || got.Target != "1.2.0" || got.Since != "1.0.0" || got.Format != "json" {
		t.Fatalf("err = %v, opts = %+v", err, got)
	}
	cmd = newCmdNotes(f, func(o *NotesOptions) error { return nil })
	cmd.SetArgs([]string{"1.2.0", "--format", "pdf"})
	cmd.SetErr(&bytes.Buffer{})
	var fe *FlagError
	if err := cmd.Execute(); !errors.As(err, &fe) {
		t.Fatalf("--format pdf: %v", err)
	}
}
