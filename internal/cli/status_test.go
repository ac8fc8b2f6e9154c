package cli

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestStatusFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdStatus, "--json", "--fetch"); err != nil || !o.JSON || !o.Fetch {
		t.Errorf("status options = %+v, %v", o, err)
	}
	wantUsage(t, newCmdStatus, "extra")
}

func TestStatusRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	r.Git("checkout", "-q", "-b", "feature/PROJ-7")
	r.Commit("b.txt", "b", "feature work")
	r.Write("wip.txt", "wip")

	f, out, _ := repoFactory(t, r.Dir)
	if err := statusRun(&StatusOptions{F: f, Ctx: t.Context()}); err != nil {
		t.Fatal(err)
	}
	want := "On feature/PROJ-7, a feature of kickoff " + k + "\n" +
		"  origin/main: 2 ahead, 0 behind\n" +
		"  kickoff:   1 ahead, 0 behind\n" +
		"  not pushed: 2 commits only here\n" +
		"  uncommitted changes: wip.txt\n"
	if out.String() != want {
		t.Errorf("kickoff status printed:\n%s\nwant:\n%s", out, want)
	}

	// On main, clean: no kickoff line, and JSON lists no dirty files as [], not null.
	r.Git("checkout", "-q", "-f", "main")
	r.Git("clean", "-qfd")
	f, out, _ = repoFactory(t, r.Dir)
	if err := statusRun(&StatusOptions{F: f, Ctx: t.Context(), JSON: true}); err != nil {
		t.Fatal(err)
	}
	var got statusJSON
	decode(t, out.Bytes(), &got)
	if got.Branch != "main" || got.Kickoff != "" || got.IsKickoff || got.Upstream != "origin/main" || got.Dirty == nil || len(got.Dirty) != 0 {
		t.Errorf("kickoff status --json = %+v", got)
	}
}
