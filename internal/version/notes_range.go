package version

import (
	"context"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// NotesFor collects the notes of a kickoff or a version. target is a kickoff name or a
// version (platform/vX.Y.Z, vX.Y.Z, X.Y.Z); since, when set, is a version whose final tag
// starts the range. Without since:
//   - a live kickoff covers its commits not in main;
//   - a version covers its final tag (else newest candidate, else its kickoff) down to
//     the highest release below it, or to main when it is not released yet.
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
		}
	default:
		exclude = []string{s.mainRef()}
	}
	n, err := CollectNotes(ctx, s.Repo, to, exclude)
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
