package version

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// TagShipped puts the final tag on mainCommit, the main commit that contains the kickoff,
// when `kickoff finish` retires it; the kickoff gets a version first if it has none. A
// final tag a `kickoff tag` step put earlier on a commit main contains (the kickoff's own
// head) marks what shipped: it stays where it is and comes back with Created false. A
// final tag on a commit main does not contain is an error, and nothing is tagged.
func (s *Store) TagShipped(ctx context.Context, kickoffName, mainCommit string) (Tagged, error) {
	if t, ok := s.shippedEarlier(ctx, kickoffName, mainCommit); ok {
		return t, nil
	}
	t, err := s.TagFinal(ctx, kickoffName, mainCommit)
	if err != nil {
		return Tagged{}, fmt.Errorf("final platform tag: %w", err)
	}
	return t, nil
}

// shippedEarlier is the kickoff's final tag when it is already on another commit that
// main contains. Anything it cannot read leaves the answer to TagFinal.
func (s *Store) shippedEarlier(ctx context.Context, kickoffName, mainCommit string) (Tagged, bool) {
	book, err := s.Read(ctx)
	if err != nil {
		return Tagged{}, false
	}
	r, ok := book.Of(kickoffName)
	if !ok {
		return Tagged{}, false
	}
	t, ok := book.Released(r.Version)
	if !ok {
		return Tagged{}, false
	}
	main, err := s.Repo.Resolve(mainCommit)
	if err != nil || t.Commit == main.String() {
		return Tagged{}, false
	}
	if in, err := s.Repo.IsAncestor(plumbing.NewHash(t.Commit), main); err != nil || !in {
		return Tagged{}, false
	}
	return Tagged{Kickoff: kickoffName, Version: r.Version, Tag: t.Name, Commit: t.Commit}, true
}
