package kickoff

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// A kickoff's own commits are those reachable from its head and not from main: the work it
// brings. They decide which commits may carry its platform tags (Carries) and whether
// finishing it ships anything (Empty).

// Own is what a kickoff brings relative to main.
type Own struct {
	Kickoff Name
	Head    plumbing.Hash
	Main    plumbing.Hash
	MainRef string // e.g. origin/main
	Count   int    // commits reachable from Head and not from Main
	// Empty: no own commits, and Head is a commit main itself was at (on its first-parent
	// line): the kickoff was never committed to. A kickoff fast-forwarded into main looks
	// the same to git; a kickoff merged with a merge commit does not.
	Empty bool
}

// OwnCommits says what the kickoff called name, at head, brings relative to main (MainHead).
func (e *Env) OwnCommits(ctx context.Context, name Name, head plumbing.Hash) (Own, error) {
	mainRef, main, err := e.MainHead()
	if err != nil {
		return Own{}, err
	}
	o := Own{Kickoff: name, Head: head, Main: main, MainRef: mainRef}
	own, err := e.Repo.RevList(ctx, head.String(), main.String())
	if err != nil {
		return Own{}, fmt.Errorf("commits of %s not in %s: %w", name, mainRef, err)
	}
	o.Count = len(own)
	if o.Count == 0 {
		if o.Empty, err = e.Repo.OnFirstParentLine(ctx, main, head); err != nil {
			return Own{}, err
		}
	}
	return o, nil
}

// Carries reports whether commit c is a build of the kickoff, one that may carry its
// release-candidate or final tag: c contains at least one of the kickoff's own commits
// (and so every own commit that one descends from: the kickoff's work up to some point,
// e.g. its head when the build was made); or, once the kickoff is merged into main (no own
// commits left), c is a main commit that contains its head. An empty kickoff carries no
// commit. A commit of another kickoff contains none of this one's commits and is refused.
func (e *Env) Carries(ctx context.Context, o Own, c plumbing.Hash) (bool, error) {
	switch {
	case o.Empty:
		return false, nil
	case o.Count > 0:
		missing, err := e.Repo.RevList(ctx, o.Head.String(), o.Main.String(), c.String())
		if err != nil {
			return false, err
		}
		return len(missing) < o.Count, nil
	}
	hasHead, err := e.Repo.IsAncestor(o.Head, c)
	if err != nil || !hasHead {
		return false, err
	}
	return e.Repo.IsAncestor(c, o.Main)
}

// EmptyError: the kickoff has no commits of its own, so there is nothing to ship under a
// version.
type EmptyError struct {
	Own Own
	Do  string // what the refused command was about to do
}

func (e *EmptyError) Error() string {
	return fmt.Sprintf("%s has no commits of its own: its head %s is a commit %s itself was at, so %s would ship nothing (a kickoff fast-forwarded into main looks the same; merge kickoffs with a merge commit, as `kickoff finish --merge` does). Drop it with `kickoff abandon %s`: main has all its commits, nothing is lost",
		e.Own.Kickoff, Short(e.Own.Head), e.Own.MainRef, e.Do, e.Own.Kickoff)
}
