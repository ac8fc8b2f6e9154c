package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestSwitchFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdSwitch, "대시보드", "--list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if o.Pattern != "대시보드" || !o.List || !o.JSON {
		t.Errorf("switch options = %+v", o)
	}
	wantUsage(t, newCmdSwitch, "a", "b")
	wantUsage(t, newCmdSwitch, "--json") // --json without --list
}

// A remote-only feature becomes a local branch tracking the remote's; the picker is not
// asked off a terminal.
func TestSwitchRunRemoteOnly(t *testing.T) {
	r := gittest.New(t)
	r.Git("push", "-q", "origin", "main:feature/PROJ-9-로그인")
	f, out, errOut := repoFactory(t, r.Dir)
	if err := switchRun(&SwitchOptions{F: f, Ctx: t.Context(), Pattern: "proj-9"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "feature/PROJ-9-로그인" {
		t.Errorf("stdout %q", got)
	}
	if up := r.Git("rev-parse", "--abbrev-ref", "@{upstream}"); up != "origin/feature/PROJ-9-로그인" {
		t.Errorf("upstream %q; stderr %s", up, errOut)
	}
}
