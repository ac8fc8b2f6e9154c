package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestVersionsFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdVersions, "--json"); err != nil || !o.JSON {
		t.Errorf("versions options = %+v, %v", o, err)
	}
	wantUsage(t, newCmdVersions, "extra")
}

func TestVersionsRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	versions := func(json bool) (string, string) {
		t.Helper()
		f, out, errOut := repoFactory(t, r.Dir)
		if err := versionsRun(&VersionsOptions{F: f, Ctx: t.Context(), JSON: json}); err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String()
	}
	if out, errOut := versions(false); out != "" || errOut != "No platform versions yet: `kickoff version KICKOFF --assign` assigns one.\n" {
		t.Errorf("none yet: %q %q", out, errOut)
	}

	f, _, _ := repoFactory(t, r.Dir)
	if err := versionRun(&VersionOptions{F: f, Ctx: t.Context(), Kickoff: k, Assign: true}); err != nil {
		t.Fatal(err)
	}
	out, _ := versions(false)
	row := strings.Split(strings.TrimSuffix(out, "\n"), "\t")
	if len(row) != 7 || row[0] != "platform/v0.1.0" || row[1] != "reserved" || row[2] != k || row[5] != "-" || row[6] != "-" {
		t.Errorf("kickoff versions row = %q", row)
	}
	out, _ = versions(true)
	var entries []struct{ Tag, Status, Kickoff string }
	decode(t, []byte(out), &entries)
	if len(entries) != 1 || entries[0].Tag != "platform/v0.1.0" || entries[0].Status != "reserved" || entries[0].Kickoff != k {
		t.Errorf("kickoff versions --json = %+v", entries)
	}
}
