package version

import (
	"context"
	"errors"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// Tagged is a release-candidate or final tag on the remote.
type Tagged struct {
	Kickoff string
	Version Version
	Tag     string
	Commit  string
	N       int  // candidate number; 0 for the final tag
	Created bool // false when the tag was already there on that commit
}

// TagCandidate tags commit as the next release candidate of the kickoff's version
// (platform/vX.Y.Z-rc.N, N counting up), assigning the version first if the kickoff has
// none, and pushes the tag. When the newest candidate is already that commit it is
// returned as is: a redeploy of the same build is not a new candidate.
func (s *Store) TagCandidate(ctx context.Context, kickoffName, commit string) (Tagged, error) {
	a, sha, err := s.tagTarget(ctx, kickoffName, commit)
	if err != nil {
		return Tagged{}, err
	}
	book := a.Book
	t, err := retry.Do(ctx, s.racePolicy(), func(attempt int) (Tagged, error) {
		if attempt > 1 { // lost a race: read what the winner pushed
			var err error
			if book, err = s.Read(ctx); err != nil {
				return Tagged{}, err
			}
		}
		if t, ok := book.Released(a.Version); ok {
			return Tagged{}, fmt.Errorf("%s is already released (%s): a released version gets no more candidates; finish the kickoff or re-assign it with `kickoff version %s --force`", a.Version, t.Name, kickoffName)
		}
		cands := book.Candidates(a.Version)
		n := 1
		if len(cands) > 0 {
			last := cands[len(cands)-1]
			if last.Commit == sha {
				return Tagged{Kickoff: kickoffName, Version: a.Version, Tag: last.Name, Commit: sha, N: last.N}, nil
			}
			n = last.N + 1
		}
		name := s.Scheme.CandidateTag(a.Version, n)
		msg := fmt.Sprintf("%s release candidate %d\n\nKickoff: %s\n", s.Scheme.Tag(a.Version), n, kickoffName)
		t, err := s.createTag(ctx, name, sha, msg)
		if err == nil {
			t.Kickoff, t.Version, t.N = kickoffName, a.Version, n
			return t, nil
		}
		if errors.Is(err, gitrepo.ErrRefChanged) {
			return Tagged{}, retry.Again(err)
		}
		return Tagged{}, err
	})
	return t, lastRace(err)
}

// lastRace is the error of the last lost race when every attempt lost one.
func lastRace(err error) error {
	var ex *retry.ExhaustedError
	if errors.As(err, &ex) {
		return ex.Err
	}
	return err
}

// TagFinal puts the annotated final tag platform/vX.Y.Z, its message naming the kickoff,
// on the commit that shipped and pushes it. The kickoff gets a version first if it has
// none. An existing final tag is never moved: on the same commit this is a no-op, on
// another commit an error.
func (s *Store) TagFinal(ctx context.Context, kickoffName, commit string) (Tagged, error) {
	a, sha, err := s.tagTarget(ctx, kickoffName, commit)
	if err != nil {
		return Tagged{}, err
	}
	name := s.Scheme.Tag(a.Version)
	out := Tagged{Kickoff: kickoffName, Version: a.Version, Tag: name, Commit: sha}
	book := a.Book
	t, err := retry.Do(ctx, s.racePolicy().WithAttempts(3), func(attempt int) (Tagged, error) {
		if attempt > 1 {
			var err error
			if book, err = s.Read(ctx); err != nil {
				return Tagged{}, err
			}
		}
		if t, ok := book.Released(a.Version); ok {
			if t.Commit == sha {
				return out, nil
			}
			return Tagged{}, fmt.Errorf("%s already exists on commit %s, not on %s: a tag is never moved (re-assign the kickoff with `kickoff version %s --force` to ship a new version)", name, gitrepo.ShortID(t.Commit), gitrepo.ShortID(sha), kickoffName)
		}
		msg := fmt.Sprintf("%s\n\nKickoff: %s\n", name, kickoffName)
		t, err := s.createTag(ctx, name, sha, msg)
		if err == nil {
			t.Kickoff, t.Version = kickoffName, a.Version
			return t, nil
		}
		if errors.Is(err, gitrepo.ErrRefChanged) {
			return Tagged{}, retry.Again(err)
		}
		return Tagged{}, err
	})
	return t, lastRace(err)
}

// tagTarget is where both tags start: the kickoff's version (reserved first when it has
// none) and the commit to tag as a full SHA.
func (s *Store) tagTarget(ctx context.Context, kickoffName, commit string) (Assignment, string, error) {
	a, err := s.Ensure(ctx, kickoffName)
	if err != nil {
		return Assignment{}, "", err
	}
	hash, err := s.Repo.Resolve(commit)
	if err != nil {
		return Assignment{}, "", err
	}
	return a, hash.String(), nil
}

// createTag makes the annotated tag object and publishes refs/tags/name create-only.
func (s *Store) createTag(ctx context.Context, name, sha, msg string) (Tagged, error) {
	obj, err := s.makeTag(ctx, name, sha, msg)
	if err != nil {
		return Tagged{}, err
	}
	if err := publish(ctx, s.Repo, s.Remote, s.getenv, []refUpdate{{Ref: "refs/tags/" + name, New: obj}}); err != nil {
		if errors.Is(err, gitrepo.ErrRefChanged) {
			return Tagged{}, err
		}
		return Tagged{}, fmt.Errorf("push tag %s: %w", name, err)
	}
	return Tagged{Tag: name, Commit: sha, Created: true}, nil
}
