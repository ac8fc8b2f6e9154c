package radar

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// Ref is one ref the radar is asked to compare, once it is decided which copy of a
// branch that is (see TeamRefs).
type Ref struct {
	Name   string // as reports show it: "main", "kickoff-241101-x", "HEAD~2"
	Rev    string // what is read: a full ref name, or the revision as given
	Local  bool   // a local branch with commits the team's copy lacks (unpushed work)
	Listed bool   // found by listing the refs: missing later means deleted meanwhile
}

// TeamRefs decides, for each name, which copy is compared: what the team has pushed, as
// `kickoff sync`, `new` and `release` build on. In a clone that keeps remote-tracking
// branches (see gitrepo.TracksRemote), a branch name reads
//
//   - the trunk (main): <remote>/main whenever it exists;
//   - another branch: <remote>/<name>, unless the local branch has commits it lacks
//     (ahead, or diverged): then the local tip, marked Local, so nobody mistakes
//     unpushed work for the team's. A local branch behind its remote copy is never read;
//   - a branch only on the remote (a teammate's kickoff): the remote copy;
//   - a branch never pushed: the local one, marked Local.
//
// In a bare or --mirror clone the branches are the team's. Names that are not branches
// (tags, commit ids, HEAD~2, origin/x, refs/...) are read as git reads them.
func TeamRefs(repo *gitrepo.Repo, main, remote string, names []string) []Ref {
	tracking := remote != "" && repo.TracksRemote(remote)
	refs, err := repo.ReadRefs()
	if err != nil {
		// Unreadable refs: every name is read as given, and resolving it says what is wrong.
		out := make([]Ref, len(names))
		for i, n := range names {
			out[i] = Ref{Name: n, Rev: n}
		}
		return out
	}
	out := make([]Ref, len(names))
	for i, n := range names {
		out[i] = teamRef(repo, refs, main, remote, tracking, n)
	}
	return out
}

func teamRef(repo *gitrepo.Repo, refs *gitrepo.Refs, main, remote string, tracking bool, name string) Ref {
	asGiven := Ref{Name: name, Rev: name}
	// git's precedence: refs/<name> and tags come before branches.
	if !refs.Get(plumbing.ReferenceName("refs/"+name)).IsZero() || !refs.Get(plumbing.NewTagReferenceName(name)).IsZero() {
		return asGiven
	}
	localName, remoteName := plumbing.NewBranchReferenceName(name), plumbing.NewRemoteReferenceName(remote, name)
	local, team := refs.Get(localName), refs.Get(remoteName)
	switch {
	case local.IsZero() && team.IsZero():
		return asGiven
	case !tracking && !local.IsZero():
		return Ref{Name: name, Rev: localName.String()}
	case team.IsZero():
		return Ref{Name: name, Rev: localName.String(), Local: tracking}
	case local.IsZero(), local == team, name == main:
		return Ref{Name: name, Rev: remoteName.String()}
	}
	// Only the local branch's own commits count: behind (none) reads the team's copy. A
	// history that cannot be walked (a shallow clone) reads the team's copy too.
	if ahead, _, err := repo.AheadBehind(local, team); err != nil || ahead == 0 {
		return Ref{Name: name, Rev: remoteName.String()}
	}
	return Ref{Name: name, Rev: localName.String(), Local: true}
}

// Resolve turns names (branches, remote branches, tags, commit ids, revisions such as
// HEAD~2) into commits; branch names read the team's copy (see TeamRefs).
func (e *Engine) Resolve(names []string) ([]RefInfo, error) {
	return e.ResolveRefs(TeamRefs(e.repo, e.opts.Main, e.opts.Remote, names))
}

// ResolveRefs turns refs into commits, with git's precedence for what a name means: full
// ids, then refs/<name>, tags, branches, remote branches, then the remote's branch of
// that name, then revisions and abbreviated ids.
func (e *Engine) ResolveRefs(refs []Ref) ([]RefInfo, error) {
	out := make([]RefInfo, 0, len(refs))
	snap, err := e.repo.ReadRefs()
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		h, err := e.resolve(snap, r.Rev)
		if err != nil {
			if r.Listed && errors.Is(err, gitrepo.ErrUnknownRef) {
				return nil, fmt.Errorf("%s was deleted while kickoff read it (%s is gone: a fetch, a push or `kickoff finish` ran meanwhile): run the command again", r.Name, r.Rev)
			}
			return nil, err
		}
		out = append(out, RefInfo{Name: r.Name, Commit: h.String(), Local: r.Local})
	}
	return out, nil
}

func (e *Engine) resolve(refs *gitrepo.Refs, n string) (plumbing.Hash, error) {
	h, err := e.resolveName(refs, n)
	if err != nil {
		return h, err
	}
	return e.peel(n, h)
}

// peel turns an object id into the commit it names (itself, or an annotated tag's
// commit). The answer never changes, so it is cached: a run whose pairs are all cached
// reads no object at all.
func (e *Engine) peel(name string, h plumbing.Hash) (plumbing.Hash, error) {
	key := "peel:" + h.String()
	var id string
	if e.cache.get(bucketMeta, key, &id) {
		return plumbing.NewHash(id), nil
	}
	c := h
	if tag, err := object.GetTag(e.st, h); err == nil {
		tc, err := tag.Commit()
		if err != nil {
			return h, fmt.Errorf("%s is a tag of something other than a commit", name)
		}
		c = tc.Hash
	}
	if _, err := e.graph.node(c); err != nil {
		return h, fmt.Errorf("%s names %s, which is not a commit", name, gitrepo.ShortID(h.String()))
	}
	e.pendingMeta[key] = c.String()
	return c, nil
}

func (e *Engine) resolveName(refs *gitrepo.Refs, n string) (plumbing.Hash, error) {
	if len(n) == 40 && plumbing.IsHash(n) {
		return plumbing.NewHash(n), nil
	}
	for _, full := range []string{n, "refs/" + n, "refs/tags/" + n, "refs/heads/" + n, "refs/remotes/" + n, "refs/remotes/" + e.opts.Remote + "/" + n} {
		if h := refs.Get(plumbing.ReferenceName(full)); !h.IsZero() {
			return h, nil
		}
	}
	return e.repo.Resolve(n) // revisions such as HEAD~2 or abbreviated ids
}
