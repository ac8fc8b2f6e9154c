package version

import (
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// NotesFor collects the notes of a kickoff or a version. target is a kickoff name or a
// version (platform/vX.Y.Z, vX.Y.Z, X.Y.Z); since, when set, is a version whose final tag
// starts the range. Without since:
//   - a live kickoff covers its commits not in main;
//   - a version covers its final tag (else newest candidate, else its kickoff) down to
//     the highest release below it, or to main when it is not released yet;
//   - the first release (none below it) starts where its kickoff left main (forkPoint),
//     not at the repository's first commit.
func (s *Store) NotesFor(ctx context.Context, book *Book, target, since string) (*Notes, error) {
	var to, kname string
	var v Version
	var haveVersion bool
	if kickoff.IsName(target) {
		kname = target
		if r, ok := book.Of(kname); ok {
			v, haveVersion = r.Version, true
		}
	} else {
		pv, err := s.Scheme.Parse(target, true)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a kickoff name (kickoff-YYMMDD-summary) nor a version (X.Y.Z)", target)
		}
		v, haveVersion = pv, true
		kname = book.Kickoff(v)
		if book.Status(v) == "" {
			return nil, fmt.Errorf("%s is neither reserved nor tagged (see `kickoff versions`)", s.Scheme.Tag(v))
		}
	}
	released := false
	if haveVersion {
		if t, ok := book.Released(v); ok {
			to, released = "refs/tags/"+t.Name, true
		}
	}
	if to == "" && kname != "" {
		if k, err := s.findKickoff(kname); err == nil {
			to = k.Ref(s.remoteOrDefault())
		}
	}
	if to == "" && haveVersion {
		if c := book.Candidates(v); len(c) > 0 {
			to = "refs/tags/" + c[len(c)-1].Name
		}
	}
	if to == "" {
		return nil, fmt.Errorf("%w: %s has no branch, candidate or final tag here to read notes from (run `git fetch`)", ErrNoKickoff, target)
	}
	var exclude []string
	switch {
	case since != "":
		sv, err := s.Scheme.Parse(since, false)
		if err != nil {
			return nil, fmt.Errorf("--since: %w", err)
		}
		t, ok := book.Released(sv)
		if !ok {
			return nil, fmt.Errorf("--since %s: %s is not released, so it marks no point in history", since, s.Scheme.Tag(sv))
		}
		exclude = []string{"refs/tags/" + t.Name}
	case released:
		if prev, ok := s.previousRelease(book, v); ok {
			exclude = []string{"refs/tags/" + prev}
		} else if fork := s.forkPoint(ctx, to, kname); fork != "" {
			exclude = []string{fork}
		}
	default:
		exclude = []string{s.mainRef()}
	}
	n, err := CollectNotes(ctx, s.Repo, to, exclude, s.Keys)
	if err != nil {
		return nil, err
	}
	n.Kickoff = kname
	if haveVersion {
		n.Version, n.Tag = v.String(), s.Scheme.Tag(v)
	}
	switch {
	case haveVersion && kname != "":
		n.Title = n.Tag + " (" + kname + ")"
	case haveVersion:
		n.Title = n.Tag
	default:
		n.Title = kname
	}
	return n, nil
}

// forkPoint is where the work released at `to` left main, "" when there is no main to
// leave: main itself while `to` is not in it (the range is then the kickoff's own commits,
// as for a live kickoff); once merged, main's commit before the merge that brought it in
// (or before `to` when `to` is that merge); after a fast-forward, where the line of `to`
// was before the kickoff's day (14 hours before its date in UTC, so that no time zone
// cuts the kickoff's own first commits), else the commit before `to`.
func (s *Store) forkPoint(ctx context.Context, to, kickoffName string) string {
	main := s.mainRef()
	mh, err := s.Repo.Resolve(main)
	if err != nil {
		return ""
	}
	th, err := s.Repo.Resolve(to)
	if err != nil {
		return ""
	}
	if in, err := s.Repo.IsAncestor(th, mh); err != nil || !in {
		return main
	}
	parent := func(h plumbing.Hash, n int) (plumbing.Hash, bool) {
		p, err := s.Repo.Resolve(fmt.Sprintf("%s^%d", h, n))
		return p, err == nil
	}
	line, err := s.Repo.MainlineContaining(ctx, th.String(), main)
	if err != nil {
		return ""
	}
	if len(line) > 0 {
		if p, ok := parent(line[0], 1); ok && p != th {
			return p.String() // line[0] merged `to` in: main before it
		}
	}
	// `to` is on main's own line.
	if _, merge := parent(th, 2); merge {
		p, _ := parent(th, 1)
		return p.String()
	}
	if k, err := kickoff.ParseName(kickoffName); err == nil {
		if h, err := s.Repo.FirstParentBefore(ctx, th.String(), k.Date.Add(-14*time.Hour)); err == nil && !h.IsZero() {
			return h.String()
		}
	}
	if p, ok := parent(th, 1); ok {
		return p.String()
	}
	return ""
}

func (s *Store) previousRelease(book *Book, v Version) (string, bool) {
	for _, r := range book.ReleasedVersions() { // highest first
		if r.Compare(v) < 0 {
			t, _ := book.Released(r)
			return t.Name, true
		}
	}
	return "", false
}

// mainRef is the trunk as the remote has it when known, else the local branch.
func (s *Store) mainRef() string {
	if s.Remote != "" {
		ref := "refs/remotes/" + s.Remote + "/" + s.Main
		if _, err := s.Repo.Resolve(ref); err == nil {
			return ref
		}
	}
	return "refs/heads/" + s.Main
}

func (s *Store) remoteOrDefault() string {
	if s.Remote == "" {
		return "origin"
	}
	return s.Remote
}
