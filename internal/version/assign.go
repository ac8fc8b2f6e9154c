package version

import (
	"context"
	"errors"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// AssignOptions say how to pick a kickoff's version.
type AssignOptions struct {
	Bump   Bump    // "" = the store's default
	Set    Version // exact version wanted; zero = compute the next one
	Force  bool    // re-assign a kickoff that has a version, freeing the old one
	DryRun bool    // compute, change nothing
}

// Assignment is a kickoff's version after Assign.
type Assignment struct {
	Kickoff  string
	Version  Version
	Tag      string
	Commit   string  // the kickoff head recorded with the reservation
	Assigned bool    // true when this call reserved it (or would, with DryRun)
	Previous Version // the version freed by a forced re-assignment
	Attempts int     // pushes it took (more than 1 after lost races)
	Book     *Book   // the state the decision was made on
}

// Ensure returns the kickoff's version, reserving the next one when it has none.
func (s *Store) Ensure(ctx context.Context, kickoffName string) (Assignment, error) {
	return s.Assign(ctx, kickoffName, AssignOptions{})
}

// Assign reserves a version for a kickoff, or returns the one it has. Of two processes
// assigning at once exactly one wins each version: the loser reads again, computes the
// next version and retries.
func (s *Store) Assign(ctx context.Context, kickoffName string, o AssignOptions) (Assignment, error) {
	k, err := s.findKickoff(kickoffName)
	if err != nil {
		return Assignment{}, err
	}
	bump := o.Bump
	if bump == "" {
		bump = s.Bump
	}
	a, err := retry.Do(ctx, s.racePolicy(), func(attempt int) (Assignment, error) {
		book, err := s.Read(ctx)
		if err != nil {
			return Assignment{}, err
		}
		a := Assignment{Kickoff: kickoffName, Book: book, Attempts: attempt, Commit: k.Head.String()}
		cur, has := book.Of(kickoffName)
		if has {
			a.Version, a.Tag, a.Commit = cur.Version, s.Scheme.Tag(cur.Version), cur.Commit
			switch {
			case !o.Set.IsZero() && o.Set == cur.Version:
				return a, nil
			case !o.Force && (o.Set.IsZero() && o.Bump == ""):
				return a, nil // just show
			case !o.Force:
				return a, &HasVersionError{Kickoff: kickoffName, Version: cur.Version}
			case book.Status(cur.Version) == StatusReleased:
				return a, fmt.Errorf("%s is released as %s: a released version is never re-assigned", kickoffName, s.Scheme.Tag(cur.Version))
			}
		}
		target := o.Set
		if target.IsZero() {
			reserved := book.ReservedVersions()
			if has { // re-assigning: the old version is about to be freed
				reserved = without(reserved, cur.Version)
			}
			target = Next(book.ReleasedVersions(), reserved, bump)
		} else {
			if highest := Max(book.ReleasedVersions()); !highest.IsZero() && target.Compare(highest) <= 0 {
				return Assignment{}, &ReleasedError{Version: target, Highest: highest}
			}
			if _, ok := book.Released(target); ok {
				return Assignment{}, &ReleasedError{Version: target, Highest: target}
			}
			if r, ok := book.Reservation(target); ok && r.Kickoff != kickoffName {
				return Assignment{}, &ReservedError{Version: target, Kickoff: orUnknown(r.Kickoff)}
			}
		}
		if has && target == cur.Version {
			return a, nil
		}
		a.Version, a.Tag, a.Assigned, a.Commit = target, s.Scheme.Tag(target), true, k.Head.String()
		if has {
			a.Previous = cur.Version
		}
		if o.DryRun {
			return a, nil
		}
		msg := fmt.Sprintf("%s\n\n%s reserved for %s.\n", kickoffName, s.Scheme.Tag(target), kickoffName)
		obj, err := s.makeTag(ctx, "kickoff/versions/"+target.String(), k.Head.String(), msg)
		if err != nil {
			return Assignment{}, err
		}
		ups := []refUpdate{{Ref: VersionRefPrefix + target.String(), New: obj}}
		if has {
			ups = append(ups,
				refUpdate{Ref: VersionOfRefPrefix + kickoffName, New: obj, Old: cur.Object},
				refUpdate{Ref: VersionRefPrefix + cur.Version.String(), Old: cur.Object})
		} else {
			ups = append(ups, refUpdate{Ref: VersionOfRefPrefix + kickoffName, New: obj})
		}
		err = publish(ctx, s.Repo, s.Remote, s.getenv, ups)
		if err == nil {
			if s.AfterAssign != nil {
				s.AfterAssign(ctx, a)
			}
			return a, nil
		}
		if !errors.Is(err, gitrepo.ErrRefChanged) && !s.changedMeanwhile(ctx, target, kickoffName, cur) {
			return Assignment{}, fmt.Errorf("reserve %s for %s: %w (nothing was reserved)", target, kickoffName, err)
		}
		return Assignment{}, retry.Again(err)
	})
	var ex *retry.ExhaustedError
	if errors.As(err, &ex) {
		return Assignment{}, fmt.Errorf("reserve a version for %s: still losing races after %d attempts (last: %v); try again", kickoffName, ex.Attempts, ex.Err)
	}
	return a, err
}

// changedMeanwhile reports whether the refs a failed reservation touched changed since
// they were read: then the failure was a lost race, whatever git called it.
func (s *Store) changedMeanwhile(ctx context.Context, target Version, kickoffName string, cur Reservation) bool {
	b, err := s.Read(ctx)
	if err != nil {
		return false
	}
	if _, taken := b.Reservation(target); taken {
		return true
	}
	now, _ := b.Of(kickoffName)
	return now.Object != cur.Object
}

func without(vs []Version, v Version) []Version {
	out := vs[:0:0]
	for _, x := range vs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func orUnknown(k string) string {
	if k == "" {
		return "an unknown kickoff"
	}
	return k
}

// Free deletes the reservation of v (both refs, atomically), e.g. for a kickoff that was
// abandoned without finishing. A released version cannot be freed; its candidate tags stay.
func (s *Store) Free(ctx context.Context, v Version) (Reservation, error) {
	for attempt := 1; ; attempt++ {
		book, err := s.Read(ctx)
		if err != nil {
			return Reservation{}, err
		}
		r, ok := book.Reservation(v)
		if !ok {
			return Reservation{}, fmt.Errorf("%s is not reserved: nothing to free (see `kickoff versions`)", s.Scheme.Tag(v))
		}
		if t, ok := book.Released(v); ok {
			return Reservation{}, fmt.Errorf("%s is released (%s): a released version is never freed", v, t.Name)
		}
		ups := []refUpdate{{Ref: VersionRefPrefix + v.String(), Old: r.Object}}
		if r.Kickoff != "" {
			if cur, ok := book.Of(r.Kickoff); ok && cur.Object == r.Object {
				ups = append(ups, refUpdate{Ref: VersionOfRefPrefix + r.Kickoff, Old: r.Object})
			}
		}
		err = publish(ctx, s.Repo, s.Remote, s.getenv, ups)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, gitrepo.ErrRefChanged) || attempt >= 3 {
			return Reservation{}, fmt.Errorf("free %s: %w", v, err)
		}
	}
}
