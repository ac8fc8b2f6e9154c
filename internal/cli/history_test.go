package cli

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kickoffhq/kickoff/internal/term"
)

func ledgerTestFactory() *Factory {
	return &Factory{IO: term.Test(nil, &bytes.Buffer{}, &bytes.Buffer{})}
}

func TestHistoryFlags(t *testing.T) {
	var got *HistoryOptions
	cmd := newCmdHistory(ledgerTestFactory(), func(o *HistoryOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--slot", "dev3", "--kickoff", "kickoff-251118-cart", "--app", "spring", "-n", "5", "--json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Slot != "dev3" || got.Kickoff != "kickoff-251118-cart" || got.App != "spring" || got.Limit != 5 || !got.JSON {
		t.Errorf("options = %+v", got)
	}

	got = nil
	cmd = newCmdHistory(ledgerTestFactory(), func(o *HistoryOptions) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil || got.Limit != 100 || got.JSON {
		t.Errorf("defaults: %+v, %v; want -n 100", got, err)
	}

	for _, args := range [][]string{{"-n", "0"}, {"-n", "-3"}, {"dev3"}} {
		cmd = newCmdHistory(ledgerTestFactory(), func(o *HistoryOptions) error { t.Errorf("ran with %v", args); return nil })
		cmd.SetArgs(args)
		var fe *FlagError
		if err := cmd.Execute(); !errors.As(err, &fe) {
			t.Errorf("history %v: err = %v, want a usage error", args, err)
		}
	}
}

func TestSlotDiffAndExportArgs(t *testing.T) {
	var d *SlotDiffOptions
	cmd := newCmdSlotDiff(ledgerTestFactory(), func(o *SlotDiffOptions) error { d = o; return nil })
	cmd.SetArgs([]string{"dev2", "dev3", "--json"})
	if err := cmd.Execute(); err != nil || d.A != "dev2" || d.B != "dev3" || !d.JSON {
		t.Errorf("slot diff: %+v, %v", d, err)
	}
	for _, args := range [][]string{{"dev2"}, {"dev1", "dev2", "dev3"}} {
		cmd := newCmdSlotDiff(ledgerTestFactory(), func(o *SlotDiffOptions) error { return nil })
		cmd.SetArgs(args)
		var fe *FlagError
		if err := cmd.Execute(); !errors.As(err, &fe) {
			t.Errorf("slot diff %v: err = %v, want a usage error", args, err)
		}
	}
	var e *DashboardExportOptions
	cmd = newCmdDashboardExport(ledgerTestFactory(), func(o *DashboardExportOptions) error { e = o; return nil })
	cmd.SetArgs([]string{"public"})
	if err := cmd.Execute(); err != nil || e.Dir != "public" {
		t.Errorf("dashboard export: %+v, %v", e, err)
	}
}

func TestActorIsTheCIActorInCI(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"KICKOFF_ACTOR=ann@example.com", "GITHUB_ACTIONS=true", "GITHUB_ACTOR=octocat"}, "ann@example.com"},
		{[]string{"GITHUB_ACTIONS=true", "GITHUB_ACTOR=octocat", "USER=runner"}, "octocat"},
		{[]string{"GITLAB_CI=true", "GITLAB_USER_EMAIL=bo@example.com", "USER=runner"}, "bo@example.com"},
		{[]string{"GITHUB_ACTOR=octocat", "USER=cy"}, "cy"}, // not in CI: the local identity
	} {
		f := ledgerTestFactory()
		f.Dir, f.Env = t.TempDir(), tc.env // no repository there: no git identity
		if got := actor(f); got != tc.want {
			t.Errorf("actor with %v = %q, want %q", tc.env, got, tc.want)
		}
	}
}
