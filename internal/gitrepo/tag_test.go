package gitrepo_test

import (
	"context"
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
