package platform

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// two is a platform of this repository and one in the cache, connected.
func two(t *testing.T) (here, other *gittest.Repo, ms []Member) {
	t.Helper()
	here, other = gittest.New(t), gittest.New(t)
	p, err := Open(Options{Here: open(t, here), Remote: "origin", CacheDir: t.TempDir(), Repos: map[string]config.RepoSpec{"be": {URL: other.Remote}}})
	if err != nil {
		t.Fatal(err)
	}
	ms = p.Members(p.Repos, &kickoff.Env{Repo: p.Here().Repo, Main: "main", Remote: "origin"})
	if err := Connect(context.Background(), ms); err != nil {
		t.Fatal(err)
	}
	return here, other, ms
}

var day = time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)

// A name taken in one repository refuses the kickoff in all, naming it; the plan's steps
// say their repository.
func TestPlanNew(t *testing.T) {
	ctx := context.Background()
	_, other, ms := two(t)
	np, err := PlanNew(ctx, ms, kickoff.NewOptions{Summary: "dash", Day: day, Push: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(np.Repos) != 2 || np.Plan.Steps[len(np.Plan.Steps)-1].Repo != "be" || !strings.HasPrefix(np.Plan.Steps[0].Desc, "remote: ") {
		t.Fatalf("plan: %s", np.Plan.String())
	}
	other.Git("push", "-q", "origin", "main:refs/heads/kickoff-240510-taken")
	for i := range ms { // a later command: fetched afresh
		ms[i].Env = &kickoff.Env{Repo: ms[i].Repo, Main: "main", Remote: "origin", Strict: true, NoSwitch: !ms[i].Current}
	}
	if err := Connect(ctx, ms); err != nil {
		t.Fatal(err)
	}
	_, err = PlanNew(ctx, ms, kickoff.NewOptions{Summary: "taken", Day: day, Push: true})
	var re *RepoError
	if !errors.As(err, &re) || re.Repo != "be" || !errors.Is(err, kickoff.ErrExists) {
		t.Errorf("PlanNew(taken in be) = %v", err)
	}
}

// List has one row per kickoff, with its absence in a repository that lacks it.
func TestList(t *testing.T) {
	here, _, ms := two(t)
	here.Git("push", "-q", "origin", "main:refs/heads/kickoff-240510-only-here")
	ms[0].Env = &kickoff.Env{Repo: ms[0].Repo, Main: "main", Remote: "origin"}
	if err := ms[0].Env.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows, err := List(ms, false, "feature/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !rows[0].Cells[0].Present || rows[0].Cells[1].Present || rows[0].First().Repo != "remote" {
		t.Fatalf("rows = %+v", rows)
	}
}
