package gitrepo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Every form of revision a user types resolves to the commit git names.
func TestResolveRevisionSyntax(t *testing.T) {
	g := gittest.New(t)
	first := g.Commit("a.txt", "1\n", "one")
	g.Commit("a.txt", "2\n", "two")
	g.Git("tag", "-a", "-m", "release", "v1")
	g.Git("push", "-q", "origin", "main")
	g.Git("checkout", "-q", "-b", "side", first)
	g.Commit("b.txt", "b\n", "side")
	g.Git("checkout", "-q", "main")
	g.Git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{"main", "HEAD", "HEAD~2", "HEAD^2", "main^1", "v1", "v1^{}", "origin/main",
		"refs/remotes/origin/main", first[:10], first[:7] + "~0", "side@{0}", ":/side"} {
		peel := "^{commit}"
		if strings.HasPrefix(rev, ":/") {
			peel = "" // a message search: the suffix would be part of the pattern
		}
		want := strings.TrimSpace(g.Git("rev-parse", rev+peel))
		got, err := repo.Resolve(rev)
		if err != nil {
			t.Errorf("Resolve(%q): %v", rev, err)
			continue
		}
		if got.String() != want {
			t.Errorf("Resolve(%q) = %s, git says %s", rev, got, want)
		}
	}
}

// Two commits whose ids share their first 7 characters (found by search: the same empty
// tree, author and date, messages "attempt 11811" and "attempt 24181").
func TestResolveAmbiguousAbbreviation(t *testing.T) {
	g := gittest.NewLocal(t)
	t.Setenv("GIT_AUTHOR_DATE", "1700000000 +0000")
	t.Setenv("GIT_COMMITTER_DATE", "1700000000 +0000")
	const empty = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
	a := strings.TrimSpace(g.Git("commit-tree", empty, "-m", "attempt 11811"))
	b := strings.TrimSpace(g.Git("commit-tree", empty, "-m", "attempt 24181"))
	if a[:7] != b[:7] || a[:7] != "a7a6678" {
		t.Fatalf("the fixture commits are %s and %s: not the colliding pair", a, b)
	}
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{"a7a6678", "a7a6678~0", "A7A6678"} {
		_, err := repo.Resolve(rev)
		var amb *gitrepo.AmbiguousError
		if !errors.As(err, &amb) {
			t.Fatalf("Resolve(%q): %v, want an ambiguity", rev, err)
		}
		if len(amb.Candidates) != 2 || !strings.Contains(err.Error(), "attempt 11811") || !strings.Contains(err.Error(), "attempt 24181") {
			t.Errorf("Resolve(%q): %v: want both candidates named with their subjects", rev, err)
		}
	}
	// One more character tells them apart.
	if got, err := repo.Resolve(a[:8]); err != nil || got.String() != a {
		t.Errorf("Resolve(%q) = %s, %v; want %s", a[:8], got, err, a)
	}
}

func TestResolveUnknownAndNotACommit(t *testing.T) {
	g := gittest.New(t)
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{"no-such-branch", "HEAD~5", "deadbeef0"} {
		if _, err := repo.Resolve(rev); !errors.Is(err, gitrepo.ErrUnknownRef) || !strings.Contains(err.Error(), rev) {
			t.Errorf("Resolve(%q): %v, want an unknown ref naming it", rev, err)
		}
	}
	tree := strings.TrimSpace(g.Git("rev-parse", "HEAD^{tree}"))
	if _, err := repo.Resolve(tree[:10]); err == nil || !strings.Contains(err.Error(), "names a tree, not a commit") {
		t.Errorf("Resolve(tree prefix): %v", err)
	}
}
