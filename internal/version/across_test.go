package version

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

const acrossKickoff = "kickoff-240510-alpha"

// platformOf is a store over fe (holding the reservations), spring and django, each a work
// repository with a bare remote; the kickoff is in fe and spring, not in django.
func platformOf(t *testing.T) (*Store, map[string]*gittest.Repo) {
	t.Helper()
	rs := map[string]*gittest.Repo{"fe": newKickoffs(t, acrossKickoff), "spring": newKickoffs(t, acrossKickoff), "django": gittest.New(t)}
	s := open(t, rs["fe"].Dir)
	for _, name := range []string{"fe", "django", "spring"} {
		repo, err := gitrepo.Open(rs[name].Dir)
		if err != nil {
			t.Fatal(err)
		}
		s.Members = append(s.Members, Member{Name: name, Repo: repo, Remote: "origin"})
	}
	s.Members[0].Repo = s.Repo
	return s, rs
}

func remoteTag(t *testing.T, r *gittest.Repo, tag string) string {
	t.Helper()
	out := r.Git("ls-remote", "origin", "refs/tags/"+tag+"^{}")
	commit, _, _ := strings.Cut(out, "\t")
	return commit
}

func TestTagAcrossRepositories(t *testing.T) {
	ctx := context.Background()
	s, rs := platformOf(t)
	b, skipped, err := s.Heads(acrossKickoff)
	if err != nil || len(b.Commits) != 2 || strings.Join(skipped, ",") != "django" {
		t.Fatalf("heads = %+v, skipped %v, %v", b, skipped, err)
	}
	b.Images = []string{"fe=fe:k-1@sha256:aa", "spring=spring:k-1@sha256:bb"}
	c1, err := s.TagBuildCandidate(ctx, acrossKickoff, b)
	if err != nil || c1.Tag != "platform/v0.1.0-rc.1" || !c1.Created || len(c1.Repos) != 2 || strings.Join(c1.Skipped, ",") != "django" {
		t.Fatalf("rc.1 = %+v, %v", c1, err)
	}
	for _, name := range []string{"fe", "spring"} {
		if got := remoteTag(t, rs[name], c1.Tag); got != b.Commits[name] {
			t.Errorf("%s: rc.1 on %q, want %q", name, got, b.Commits[name])
		}
	}
	if got := remoteTag(t, rs["django"], c1.Tag); got != "" {
		t.Errorf("django, without the kickoff, got rc.1 on %s", got)
	}
	// The same build again is the same candidate.
	again, err := s.TagBuildCandidate(ctx, acrossKickoff, b)
	if err != nil || again.Tag != c1.Tag || again.Created {
		t.Fatalf("same build again = %+v, %v", again, err)
	}
	// Another image for the same commits is another set: the next number.
	b.Images = []string{"fe=fe:k-1@sha256:cc", "spring=spring:k-1@sha256:bb"}
	c2, err := s.TagBuildCandidate(ctx, acrossKickoff, b)
	if err != nil || c2.Tag != "platform/v0.1.0-rc.2" || !c2.Created {
		t.Fatalf("another image = %+v, %v", c2, err)
	}
	// Where answers with each repository's commit.
	where, err := s.Where(ctx, c2.Version, 2)
	if err != nil || len(where) != 2 || where[0].Repo != "fe" || where[1].Repo != "spring" || where[1].Commit != b.Commits["spring"] {
		t.Fatalf("where = %+v, %v", where, err)
	}
	// The final tag goes everywhere the kickoff is; again it is kept.
	fin, err := s.TagBuildFinal(ctx, acrossKickoff, Build{Commits: b.Commits})
	if err != nil || fin.Tag != "platform/v0.1.0" || !fin.Created || len(fin.Repos) != 2 {
		t.Fatalf("final = %+v, %v", fin, err)
	}
	if got := remoteTag(t, rs["spring"], "platform/v0.1.0"); got != b.Commits["spring"] {
		t.Errorf("spring final on %q", got)
	}
	if again, err := s.TagBuildFinal(ctx, acrossKickoff, Build{Commits: b.Commits}); err != nil || again.Created {
		t.Fatalf("final again = %+v, %v", again, err)
	}
}

// A repository that refuses the tag takes back the ones pushed to the others.
func TestTagAcrossAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, rs := platformOf(t)
	hook := filepath.Join(rs["spring"].Remote, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho 'no tags today' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, _, err := s.Heads(acrossKickoff)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.TagBuildCandidate(ctx, acrossKickoff, b)
	if err == nil || !strings.Contains(err.Error(), "repository spring: push tag platform/v0.1.0-rc.1") ||
		!strings.Contains(err.Error(), "no tags today") || !strings.Contains(err.Error(), "taken back from fe") {
		t.Fatalf("refused = %v", err)
	}
	if got := remoteTag(t, rs["fe"], "platform/v0.1.0-rc.1"); got != "" {
		t.Errorf("fe kept rc.1 on %s", got)
	}
	if out := rs["fe"].Git("tag", "-l"); strings.Contains(out, "rc.1") {
		t.Errorf("fe kept the local tag: %q", out)
	}
	// A commit that is not a build of the kickoff there is refused before anything.
	main := rs["spring"].Git("rev-parse", "main")
	_, err = s.TagBuildFinal(ctx, acrossKickoff, Build{Commits: map[string]string{"fe": b.Commits["fe"], "spring": main}})
	var nc *NotCarriedError
	if !errors.As(err, &nc) || !strings.HasPrefix(err.Error(), "repository spring: ") {
		t.Fatalf("not carried = %v", err)
	}
}

func TestImagesOf(t *testing.T) {
	got := imagesOf("platform/v1.0.0 release candidate 1\n\nKickoff: k\nImage: b=x\nRepository: fe abc\nImage: a=y\n")
	if strings.Join(got, ",") != "a=y,b=x" {
		t.Fatalf("imagesOf = %q", got)
	}
}

// In one repository too, a candidate is one set of images: another frontend image for the
// same commit is the next number, never the same one.
func TestCandidateIsOneSetOfImages(t *testing.T) {
	ctx := context.Background()
	r := newKickoffs(t, acrossKickoff)
	s := open(t, r.Dir)
	head := r.Git("rev-parse", acrossKickoff)
	b := Build{Commits: map[string]string{"": head}, Images: []string{"fe=fe:1@sha256:aa"}}
	c1, err := s.TagBuildCandidate(ctx, acrossKickoff, b)
	if err != nil || c1.N != 1 || len(c1.Skipped) != 0 {
		t.Fatalf("rc.1 = %+v, %v", c1, err)
	}
	// Another clone, without the tag object, reads the set from the remote.
	other := open(t, clone(t, r.Remote))
	if same, err := other.TagBuildCandidate(ctx, acrossKickoff, b); err != nil || same.N != 1 || same.Created {
		t.Fatalf("same set from another clone = %+v, %v", same, err)
	}
	b.Images = []string{"fe=fe:1@sha256:bb"}
	if c2, err := s.TagBuildCandidate(ctx, acrossKickoff, b); err != nil || c2.N != 2 {
		t.Fatalf("another image = %+v, %v", c2, err)
	}
	// Without images (kickoff tag --rc) the commit alone decides.
	if c, err := s.TagCandidate(ctx, acrossKickoff, head); err != nil || c.N != 2 || c.Created {
		t.Fatalf("tag --rc of the same commit = %+v, %v", c, err)
	}
}

// At finish, each repository's main commit gets the final tag; one a `kickoff tag` put
// earlier on the kickoff's head, which main now contains, stays where it is.
func TestTagShippedBuild(t *testing.T) {
	ctx := context.Background()
	s, rs := platformOf(t)
	springHead := rs["spring"].Git("rev-parse", acrossKickoff)
	if _, err := s.TagBuildFinal(ctx, acrossKickoff, Build{Commits: map[string]string{"spring": springHead}}); err != nil {
		t.Fatal(err)
	}
	mains := Build{Commits: map[string]string{}}
	for _, name := range []string{"fe", "spring"} {
		r := rs[name]
		r.Git("merge", "-q", "--no-ff", acrossKickoff, "-m", "merge")
		r.Git("push", "-q", "origin", "main")
		mains.Commits[name] = r.Git("rev-parse", "main")
	}
	got, err := s.TagShippedBuild(ctx, acrossKickoff, mains)
	if err != nil || len(got.Repos) != 2 {
		t.Fatalf("shipped = %+v, %v", got, err)
	}
	if c := remoteTag(t, rs["fe"], "platform/v0.1.0"); c != mains.Commits["fe"] {
		t.Errorf("fe's final tag on %q, want main %q", c, mains.Commits["fe"])
	}
	if c := remoteTag(t, rs["spring"], "platform/v0.1.0"); c != springHead {
		t.Errorf("spring's final tag moved to %q", c)
	}
}
