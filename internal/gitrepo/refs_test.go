package gitrepo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// A tag written through go-git is one git reads back as its own: tagger from the user's
// identity, the time and zone given, the message; RefDetails lists it with date and subject.
func TestWriteTagReadsBackInGit(t *testing.T) {
	g := gittest.New(t)
	t.Setenv("GIT_COMMITTER_NAME", "Ann Author")
	t.Setenv("GIT_COMMITTER_EMAIL", "ann@example.com")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	head := plumbing.NewHash(g.Git("rev-parse", "HEAD"))
	when := time.Unix(1700000000, 0).In(time.FixedZone("", 9*3600))
	h, err := repo.WriteTag(ctx, gitrepo.Tag{Name: "platform/v1.0.0", Target: head, Message: "v1.0.0\n\nKickoff: k", Tagger: gitrepo.Ident{When: when}})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Git("cat-file", "-p", h.String()); !strings.Contains(got, "tagger Ann Author <ann@example.com> 1700000000 +0900\n\nv1.0.0\n\nKickoff: k") {
		t.Fatalf("tag object:\n%s", got)
	}
	if err := repo.SetRef("refs/tags/platform/v1.0.0", h); err != nil {
		t.Fatal(err)
	}
	tag, err := repo.ReadTag(h)
	if err != nil || tag.Target != head || !tag.Tagger.When.Equal(when) || tag.Tagger.Email != "ann@example.com" || tag.Name != "platform/v1.0.0" {
		t.Fatalf("ReadTag = %+v, %v", tag, err)
	}
	if _, err := repo.ReadTag(head); err == nil {
		t.Fatal("ReadTag of a commit: want an error")
	}
	details, err := repo.RefDetails(ctx, "refs/tags/")
	if err != nil || len(details) != 1 {
		t.Fatalf("RefDetails = %+v, %v", details, err)
	}
	d := details[0]
	if d.Hash != h || d.Commit != head || d.Date.Unix() != 1700000000 || d.Subject != "v1.0.0" {
		t.Fatalf("RefDetails = %+v", d)
	}
	if repo.PeelCommit(repo.Ref("refs/tags/platform/v1.0.0")) != head {
		t.Fatal("the tag does not peel to its commit")
	}
}

// A local ref transaction applies all updates or none, and tells a lost race.
func TestUpdateRefs(t *testing.T) {
	g := gittest.New(t)
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a := plumbing.NewHash(g.Git("rev-parse", "HEAD"))
	b := plumbing.NewHash(g.Commit("b.txt", "b\n", "b"))
	const x, y = plumbing.ReferenceName("refs/kickoff/x"), plumbing.ReferenceName("refs/kickoff/y")

	if err := repo.UpdateRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: a}, {Name: y, New: a}}); err != nil {
		t.Fatal(err)
	}
	// y must not exist: the whole transaction fails, x keeps a.
	err = repo.UpdateRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: b, Old: a}, {Name: y, New: b}})
	if !errors.Is(err, gitrepo.ErrRefChanged) || repo.Ref(x) != a {
		t.Fatalf("failed lease: err %v, x at %s", err, repo.Ref(x))
	}
	if err := repo.UpdateRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: b, Old: a}, {Name: y, Old: a}}); err != nil {
		t.Fatal(err)
	}
	if repo.Ref(x) != b || !repo.Ref(y).IsZero() {
		t.Fatalf("x at %s, y at %s; want b and deleted", repo.Ref(x), repo.Ref(y))
	}
	// ForceRefs ignores what refs held.
	if err := repo.ForceRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: a, Old: a}, {Name: y, New: a}}); err != nil {
		t.Fatal(err)
	}
	if err := repo.SwapRef(x, b, b); err == nil || repo.Ref(x) != a {
		t.Fatalf("SwapRef with a stale old value: err %v, x at %s", err, repo.Ref(x))
	}
	var names []string
	if err := repo.ForEachRef(func(name plumbing.ReferenceName, h plumbing.Hash) error {
		if strings.HasPrefix(name.String(), "refs/kickoff/") {
			names = append(names, name.String())
		}
		return nil
	}); err != nil || len(names) != 2 {
		t.Fatalf("ForEachRef = %v, %v", names, err)
	}
}
