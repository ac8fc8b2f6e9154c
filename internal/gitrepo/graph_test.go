package gitrepo_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// AheadBehind must agree with git rev-list --left-right --count on histories with merges.
func TestAheadBehindMatchesGit(t *testing.T) {
	g := gittest.NewLocal(t)
	g.Git("switch", "-q", "-c", "k")
	for i := 0; i < 3; i++ {
		g.Commit(fmt.Sprintf("k%d.txt", i), "k\n", "k work")
	}
	g.Git("switch", "-q", "main")
	for i := 0; i < 2; i++ {
		g.Commit(fmt.Sprintf("m%d.txt", i), "m\n", "main work")
	}
	g.Git("switch", "-q", "k")
	g.Git("merge", "-q", "--no-edit", "main")
	g.Commit("k9.txt", "k\n", "more k work")
	g.Git("switch", "-q", "-c", "f", "k~2")
	g.Commit("f.txt", "f\n", "feature")
	g.Git("switch", "-q", "main")
	g.Commit("m9.txt", "m\n", "main again")

	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"k", "main"}, {"main", "k"}, {"f", "k"}, {"f", "main"}, {"main", "main"}, {"k~1", "k"}} {
		want := g.Git("rev-list", "--left-right", "--count", pair[0]+"..."+pair[1])
		a, b := resolve(t, repo, pair[0]), resolve(t, repo, pair[1])
		l, r, err := repo.AheadBehind(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%d\t%d", l, r); got != strings.TrimSpace(want) {
			t.Errorf("AheadBehind(%s, %s) = %s, git says %s", pair[0], pair[1], got, want)
		}
	}
	if ok, _ := repo.IsAncestor(resolve(t, repo, "k~1"), resolve(t, repo, "k")); !ok {
		t.Error("k~1 is an ancestor of k")
	}
	if ok, _ := repo.IsAncestor(resolve(t, repo, "k"), resolve(t, repo, "main")); ok {
		t.Error("k is not an ancestor of main")
	}
}

func resolve(t *testing.T, r *gitrepo.Repo, rev string) plumbing.Hash {
	t.Helper()
	h, err := r.Resolve(rev)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
