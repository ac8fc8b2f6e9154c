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
	return s.releasedEarlier(ctx, book, kickoffName, r.Version, mainCommit)
}

// releasedEarlier is v's final tag in book when it is on a commit other than mainCommit
// that mainCommit contains.
func (s *Store) releasedEarlier(ctx context.Context, book *Book, kickoffName string, v Version, mainCommit string) (Tagged, bool) {
	t, ok := book.Released(v)
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
	return Tagged{Kickoff: kickoffName, Version: v, Tag: t.Name, Commit: t.Commit}, true
}

// TagShippedBuild is TagShipped in every repository of mains (each one's main commit that
// contains the kickoff, by repository name), all or nothing: a final tag a `kickoff tag`
// step put earlier on a commit a repository's main contains stays where it is; the other
// repositories get theirs on their main commit.
func (s *Store) TagShippedBuild(ctx context.Context, kickoffName string, mains Build) (Tagged, error) {
	todo := Build{Commits: map[string]string{}}
	var kept []RepoTag
	a, has, err := s.Lookup(ctx, kickoffName)
	if err != nil {
		return Tagged{}, err
	}
	books := []*Book{}
	if has {
		if books, err = s.books(ctx); err != nil {
			return Tagged{}, err
		}
	}
	for i, m := range s.members() {
		commit, ok := mains.Commits[m.Name]
		if !ok {
			continue
		}
		if !has {
			todo.Commits[m.Name] = commit
			continue
		}
		if t, ok := s.in(m).releasedEarlier(ctx, books[i], kickoffName, a.Version, commit); ok {
			kept = append(kept, RepoTag{Repo: m.Name, Tag: t.Tag, Commit: t.Commit})
			continue
		}
		todo.Commits[m.Name] = commit
	}
	if len(todo.Commits) == 0 && len(kept) > 0 {
		return Tagged{Kickoff: kickoffName, Version: a.Version, Tag: kept[0].Tag, Commit: kept[0].Commit, Repos: kept, Skipped: s.Skipped(mains)}, nil
	}
	t, err := s.TagBuildFinal(ctx, kickoffName, todo)
	if err != nil {
		return Tagged{}, fmt.Errorf("final platform tag: %w", err)
	}
	t.Repos = append(t.Repos, kept...)
	s.sortRepos(t.Repos)
	t.Skipped = s.Skipped(mains)
	return t, nil
}
