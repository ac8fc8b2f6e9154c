package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	platver "github.com/kickoffhq/kickoff/internal/version"
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
		{[]string{"--assign"}, false, func(o *VersionOptions) bool { return o.Assign && o.assigns() }},
		{[]string{"--free", "1.4.0", "--force"}, false, func(o *VersionOptions) bool { return o.Free == "1.4.0" && o.Force }},
		{[]string{"--force"}, true, nil},
		{[]string{"--dry-run"}, true, nil},
		{[]string{"--free", "1.4.0", "--assign"}, true, nil},
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

// version assigns the next version, shows it after, answers --of and frees with --free.
func TestVersionRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	run := func(o VersionOptions) (string, string, error) {
		t.Helper()
		f, out, errOut := repoFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		err := versionRun(&o)
		return out.String(), errOut.String(), err
	}

	// Showing a kickoff without a version: not an error, nothing on stdout, nothing written.
	out, errOut, err := run(VersionOptions{Kickoff: k})
	if err != nil || out != "" || !strings.HasPrefix(errOut, k+" has no platform version yet: `kickoff version "+k+" --assign`") {
		t.Errorf("show none: %q %q %v", out, errOut, err)
	}
	if refs := r.Git("for-each-ref", "refs/kickoff/"); refs != "" {
		t.Errorf("showing wrote refs: %s", refs)
	}
	out, _, err = run(VersionOptions{JSON: true})
	var none versionJSON
	decode(t, []byte(out), &none)
	if err != nil || none.Kickoff != k || none.Status != "none" || none.Version != "" || none.Candidates == nil {
		t.Errorf("show none --json: %+v %v", none, err)
	}
	out, errOut, err = run(VersionOptions{Assign: true, DryRun: true})
	if err != nil || out != "platform/v0.1.0\n" || errOut != "Would assign platform/v0.1.0 to "+k+" (dry run: nothing reserved).\n" {
		t.Errorf("--dry-run: %q %q %v", out, errOut, err)
	}
	out, errOut, err = run(VersionOptions{Kickoff: k, Assign: true})
	if err != nil || out != "platform/v0.1.0\n" || errOut != "Assigned platform/v0.1.0 to "+k+".\n" {
		t.Errorf("assign: %q %q %v", out, errOut, err)
	}
	out, _, err = run(VersionOptions{JSON: true})
	var got versionJSON
	decode(t, []byte(out), &got)
	if err != nil || got.Kickoff != k || got.Version != "0.1.0" || got.Tag != "platform/v0.1.0" || got.Status != "reserved" ||
		got.Assigned || got.Candidates == nil || got.Jira != nil {
		t.Errorf("show --json: %+v %v", got, err)
	}
	out, errOut, err = run(VersionOptions{Set: "2.0.0", Force: true})
	if err != nil || out != "platform/v2.0.0\n" || errOut != "Re-assigned platform/v2.0.0 to "+k+"; platform/v0.1.0 is free again.\n" {
		t.Errorf("--set --force: %q %q %v", out, errOut, err)
	}

	if out, errOut, err = run(VersionOptions{Of: "v2.0.0"}); err != nil || out != k+"\n" || !strings.HasPrefix(errOut, "platform/v2.0.0 is "+k) {
		t.Errorf("--of: %q %q %v", out, errOut, err)
	}
	if _, _, err = run(VersionOptions{Of: "9.9.9"}); err == nil || !strings.Contains(err.Error(), "no kickoff has platform/v9.9.9") {
		t.Errorf("--of an unknown version: %v", err)
	}
	var live *platver.LiveKickoffError
	if _, _, err = run(VersionOptions{Free: "2.0.0"}); !errors.As(err, &live) || live.Kickoff != k {
		t.Errorf("--free of a live kickoff without --force: %v", err)
	}
	if out, errOut, err = run(VersionOptions{Free: "2.0.0", Force: true}); err != nil || out != "platform/v2.0.0\n" ||
		errOut != "Freed platform/v2.0.0 (was "+k+").\n"+k+" is live and has no version now: `kickoff version "+k+" --assign` gives it one.\n" {
		t.Errorf("--free --force: %q %q %v", out, errOut, err)
	}
	for _, o := range []VersionOptions{{Free: "x"}, {Of: "x"}, {Kickoff: k, Set: "x"}} {
		if _, _, err := run(o); !isUsage(err) {
			t.Errorf("%+v: err = %v, want a usage error", o, err)
		}
	}
}
