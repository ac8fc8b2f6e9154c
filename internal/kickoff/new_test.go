package kickoff_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

var day = time.Date(2024, 5, 10, 9, 0, 0, 0, time.UTC)

// `kickoff new` cuts the branch from the remote's main, pushes it with its upstream and
// switches to it.
func TestPlanNewFromRemoteMain(t *testing.T) {
	g := gittest.New(t)
	// The local main is ahead of the team's: the kickoff starts from the team's.
	teams := g.Git("rev-parse", "HEAD")
	g.Commit("local.txt", "x\n", "not pushed")
	e := env(t, g)
	np, err := e.PlanNew(context.Background(), kickoff.NewOptions{Summary: "Admin dashboard", Day: day, Push: true})
	if err != nil {
		t.Fatal(err)
	}
	if np.Name.String() != "kickoff-240510-admin-dashboard" || np.Base != "origin/main" || np.BaseHash.String() != teams || !np.Pushed || !np.Checkout {
		t.Fatalf("plan = %+v", np)
	}
	want := []string{
		"create branch kickoff-240510-admin-dashboard at origin/main (" + teams[:12] + ")",
		"push kickoff-240510-admin-dashboard to origin and set its upstream",
		"switch to kickoff-240510-admin-dashboard",
	}
	if got := np.Plan.Descriptions(); !slices.Equal(got, want) {
		t.Fatalf("steps:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := np.Plan.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("branch", "--show-current"); got != "kickoff-240510-admin-dashboard" {
		t.Errorf("on %s", got)
	}
	if got := g.Git("rev-parse", "@{upstream}"); got != teams {
		t.Errorf("upstream at %s, want %s", got, teams)
	}
	if got := g.Git("ls-remote", "origin", "refs/heads/kickoff-240510-admin-dashboard"); !strings.HasPrefix(got, teams) {
		t.Errorf("remote has %q", got)
	}

	// The same name again is refused, saying where it exists.
	_, err = e.PlanNew(context.Background(), kickoff.NewOptions{Summary: "Admin dashboard", Day: day, Push: true})
	if !errors.Is(err, kickoff.ErrExists) || !strings.Contains(err.Error(), "exists locally and on origin") {
		t.Errorf("second new: %v", err)
	}
}

// --no-push and a dirty work tree each leave a step out and say what to do instead; --from
// names the base.
func TestPlanNewNotes(t *testing.T) {
	g := gittest.New(t)
	base := g.Commit("b.txt", "b\n", "base")
	g.Git("branch", "base")
	g.Write("README.md", "edited\n")
	e := env(t, g)
	np, err := e.PlanNew(context.Background(), kickoff.NewOptions{Summary: "search", Day: day, From: "base"})
	if err != nil {
		t.Fatal(err)
	}
	if np.Base != "base" || np.BaseHash.String() != base || np.Pushed || np.Checkout || len(np.Plan.Steps) != 1 {
		t.Fatalf("plan = %+v", np)
	}
	want := []string{
		"not pushed (--no-push): push it with `git push -u origin kickoff-240510-search`",
		"not switched to it: the work tree has uncommitted changes (README.md): commit or stash them, then `git switch kickoff-240510-search`",
	}
	if !slices.Equal(np.Notes, want) {
		t.Errorf("notes:\n%s", strings.Join(np.Notes, "\n"))
	}
	if _, err := e.PlanNew(context.Background(), kickoff.NewOptions{Summary: "!!!", Day: day}); err == nil {
		t.Error("a summary with nothing to slug: want an error")
	}
}
