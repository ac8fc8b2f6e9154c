package version

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// The guard-rails around versions: showing never writes, a reservation left below a
// release is said, and a tag only goes on a commit that carries the kickoff.

// Lookup returns the kickoff's version without changing anything: has is false when it has
// none (not an error: `kickoff version --assign`, release and tag assign one).
func (s *Store) Lookup(ctx context.Context, kickoffName string) (a Assignment, has bool, err error) {
	k, err := s.findKickoff(kickoffName)
	if err != nil {
		return Assignment{}, false, err
	}
	book, err := s.Read(ctx)
	if err != nil {
		return Assignment{}, false, err
	}
	a = Assignment{Kickoff: kickoffName, Book: book, Commit: k.Head.String()}
	r, has := book.Of(kickoffName)
	if !has {
		return a, false, nil
	}
	a.Version, a.Tag, a.Commit = r.Version, s.Scheme.Tag(r.Version), r.Commit
	s.warnStale(book, kickoffName, r.Version)
	return a, true, nil
}

// Stale returns the newest released version when v, not itself released, is below it: a
// release of v would come out after a higher version already shipped.
func (b *Book) Stale(v Version) (Version, bool) {
	if _, released := b.Released(v); released {
		return Version{}, false
	}
	highest := Max(b.ReleasedVersions())
	if highest.IsZero() || v.Compare(highest) >= 0 {
		return Version{}, false
	}
	return highest, true
}

// warnStale tells Warn when the kickoff holds a reservation below the newest release.
func (s *Store) warnStale(book *Book, kickoffName string, v Version) {
	if highest, ok := book.Stale(v); ok {
		warnf(s.Warn, "%s holds %s, below %s which is already released: its release would come out after a higher version; give it the next free version with `kickoff version %s --assign --force`",
			kickoffName, s.Scheme.Tag(v), s.Scheme.Tag(highest), kickoffName)
	}
}

// NotCarriedError: the commit to tag is not a build of the kickoff.
type NotCarriedError struct {
	Kickoff string
	Commit  string
	Own     kickoff.Own
	Others  []string // live kickoffs the commit does carry
	Tag     string   // "release candidate" or "final tag"
}

func (e *NotCarriedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "commit %s is not a build of %s: it contains none of %s's %d commit%s not in %s",
		gitrepo.ShortID(e.Commit), e.Kickoff, e.Kickoff, e.Own.Count, map[bool]string{true: "", false: "s"}[e.Own.Count == 1], e.Own.MainRef)
	if e.Own.Count == 0 {
		b.Reset()
		fmt.Fprintf(&b, "commit %s is not a build of %s: %s is merged into %s, so only a %s commit that contains its head %s can carry its %s",
			gitrepo.ShortID(e.Commit), e.Kickoff, e.Kickoff, e.Own.MainRef, e.Own.MainRef, gitrepo.ShortID(e.Own.Head.String()), e.Tag)
	}
	if len(e.Others) > 0 {
		fmt.Fprintf(&b, "; it is a build of %s (tag it there: `kickoff tag %s`)", strings.Join(e.Others, ", "), e.Others[0])
	}
	fmt.Fprintf(&b, "; nothing was tagged. Tag a commit of %s (its head is %s) or one that contains it", e.Kickoff, gitrepo.ShortID(e.Own.Head.String()))
	return b.String()
}

// checkCarries refuses a commit that is not a build of the kickoff (kickoff.Env.Carries):
// neither its rc nor its final tag may go on another kickoff's commit, and an empty kickoff
// gets no tag. Other live kickoffs the commit is a build of are named.
func (s *Store) checkCarries(ctx context.Context, k kickoff.Kickoff, sha plumbing.Hash, tag string) error {
	env := s.kickoffEnv()
	own, err := env.OwnCommits(ctx, k.Name, k.Head)
	if err != nil {
		return err
	}
	if own.Empty {
		return &kickoff.EmptyError{Own: own, Do: "a " + tag}
	}
	ok, err := env.Carries(ctx, own, sha)
	if err != nil || ok {
		return err
	}
	nc := &NotCarriedError{Kickoff: k.Name.String(), Commit: sha.String(), Own: own, Tag: tag}
	live, err := kickoff.Live(s.Repo, s.remoteOrDefault())
	if err != nil {
		return nc
	}
	for _, other := range live {
		if other.Name == k.Name {
			continue
		}
		o, err := env.OwnCommits(ctx, other.Name, other.Head)
		if err != nil || o.Count == 0 {
			continue
		}
		if yes, err := env.Carries(ctx, o, sha); err == nil && yes {
			nc.Others = append(nc.Others, other.Name.String())
		}
	}
	return nc
}

// kickoffEnv is the lifecycle view of the same repository, for the rules it owns (which
// commits are a kickoff's own).
func (s *Store) kickoffEnv() *kickoff.Env {
	return &kickoff.Env{Repo: s.Repo, Main: s.Main, Remote: s.remoteOrDefault(), Getenv: s.getenv}
}
