package gitrepo_test

import (
	"context"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Log and RevList list what `git log to ^exclude` lists, newest first, with each commit's
// author, parents, subject and body.
func TestLogAndRevList(t *testing.T) {
	g := gittest.New(t)
	base := g.Git("rev-parse", "HEAD")
	g.Git("checkout", "-q", "-b", "feature")
	first := g.Commit("a.txt", "a\n", "PROJ-1 add a\n\nWhy a is needed.\n")
	g.Git("checkout", "-q", "main")
	other := g.Commit("b.txt", "b\n", "main moves on")
	g.Git("checkout", "-q", "feature")
	g.Git("merge", "-q", "--no-ff", "-m", "merge main into feature", "main")
	merge := g.Git("rev-parse", "HEAD")

	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	log, err := repo.Log(ctx, "feature", []string{"main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Hash.String() != merge || log[1].Hash.String() != first {
		t.Fatalf("Log(feature ^main) = %+v, want the merge then %s", log, first)
	}
	if got := log[0].Parents; len(got) != 2 || got[0].String() != first || got[1].String() != other {
		t.Errorf("merge parents = %v", got)
	}
	e := log[1]
	if e.Subject != "PROJ-1 add a" || e.Body != "Why a is needed." || e.Author != "Ann Author" || e.Date.IsZero() {
		t.Errorf("entry = %+v", e)
	}
	if len(e.Parents) != 1 || e.Parents[0].String() != base {
		t.Errorf("parents = %v, want %s", e.Parents, base)
	}

	all, err := repo.Log(ctx, "feature", nil)
	if err != nil || len(all) != 4 {
		t.Fatalf("Log(feature) = %d entries, %v; want 4", len(all), err)
	}

	hs, err := repo.RevList(ctx, "feature", "main")
	if err != nil {
		t.Fatal(err)
	}
	if want := []plumbing.Hash{plumbing.NewHash(merge), plumbing.NewHash(first)}; !slices.Equal(hs, want) {
		t.Errorf("RevList(feature ^main) = %v, want %v", hs, want)
	}
	if _, err := repo.Log(ctx, "no-such-branch", nil); err == nil {
		t.Error("Log of an unknown revision: want an error")
	}
}

// OnFirstParentLine tells a commit main itself was at from one merged into it, and from one
// main never had.
func TestOnFirstParentLine(t *testing.T) {
	g := gittest.New(t)
	cut := g.Git("rev-parse", "HEAD")
	g.Git("checkout", "-q", "-b", "kickoff-240510-대시보드")
	own := g.Commit("a.txt", "a\n", "대시보드 작업")
	g.Git("checkout", "-q", "main")
	g.Commit("b.txt", "b\n", "main moves on")
	g.Git("merge", "-q", "--no-ff", "-m", "merge the kickoff", "kickoff-240510-대시보드")
	tip := g.Git("rev-parse", "HEAD")
	g.Git("checkout", "-q", "-b", "elsewhere", cut)
	away := g.Commit("c.txt", "c\n", "never on main")

	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    string
		want bool
	}{{cut, true}, {tip, true}, {own, false}, {away, false}} {
		got, err := repo.OnFirstParentLine(context.Background(), plumbing.NewHash(tip), plumbing.NewHash(tc.c))
		if err != nil || got != tc.want {
			t.Errorf("OnFirstParentLine(main, %s) = %v, %v; want %v", tc.c[:8], got, err, tc.want)
		}
	}
}
