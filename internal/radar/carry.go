package radar

import (
	"context"
	"log/slog"
	pathpkg "path"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// maxCarry bounds the first-parent commits a ref may have gained for its pairs' verdicts
// to be carried over.
const maxCarry = 64

// carryCandidate is the last run's verdict for a pair and the moves since: {from, to,
// the other side} for each side that moved.
type carryCandidate struct {
	ra, rb RefInfo
	prev   Pair
	moves  [][3]plumbing.Hash
}

// previous finds the verdict the pair's refs had at the last run, when one or both moved
// since: prevA and prevB are where they were (zero when unknown or unmoved).
func (e *Engine) previous(ra, rb RefInfo, prevA, prevB plumbing.Hash) *carryCandidate {
	a, b := plumbing.NewHash(ra.Commit), plumbing.NewHash(rb.Commit)
	c := &carryCandidate{ra: ra, rb: rb}
	switch {
	case !prevA.IsZero() && e.cache.get(bucketPairs, prevA.String()+":"+rb.Commit, &c.prev):
		c.moves = [][3]plumbing.Hash{{prevA, a, b}}
	case !prevB.IsZero() && e.cache.get(bucketPairs, ra.Commit+":"+prevB.String(), &c.prev):
		c.moves = [][3]plumbing.Hash{{prevB, b, a}}
	case !prevA.IsZero() && !prevB.IsZero() && e.cache.get(bucketPairs, prevA.String()+":"+prevB.String(), &c.prev):
		// First A moves (against B where it was), then B (against A where it is now).
		c.moves = [][3]plumbing.Hash{{prevA, a, prevB}, {prevB, b, a}}
	default:
		return nil
	}
	return c
}

// carry decides a pair from the verdict its refs had at the last run, when the only news
// is a few commits on one side (or on both) that edit files the other side never touched,
// and the merge base is as it was. git's merge takes those edits as they are and decides
// every other path as before: what conflicted still conflicts at the same lines, what
// overlapped still overlaps, touched by the same commits. It returns nil when the verdict
// cannot be carried; then the pair is decided afresh.
func (e *Engine) carry(ctx context.Context, c *carryCandidate) (*Pair, error) {
	why := "several merge bases"
	if len(c.prev.MergeBases) == 1 {
		why = ""
		base := plumbing.NewHash(c.prev.MergeBases[0])
		for _, m := range c.moves {
			var err error
			if why, err = e.carries(ctx, base, m[0], m[1], m[2]); err != nil {
				return nil, err
			} else if why != "" {
				break
			}
		}
	}
	if why != "" {
		slog.Debug("verdict not carried", "a", c.ra.Name, "b", c.rb.Name, "why", why)
		return nil, nil
	}
	p := c.prev
	p.A, p.B, p.ACommit, p.BCommit = c.ra.Name, c.rb.Name, c.ra.Commit, c.rb.Commit
	p.DecidedBy = ByCarried
	return &p, nil
}

// carries says why a pair whose only merge base is base might not keep its verdict when
// one side moves from `from` to `to` (other being the other side), or "" when it keeps
// it, which takes all of these:
//   - the merge base of to and other is base alone, as it was;
//   - from is on to's first-parent line (a kickoff gains commits and merges of feature
//     branches there);
//   - each path the commits of that line changed (each against its first parent) is a
//     file (not a folder) in base, in from and in to: no file appears or goes, so git's
//     rename detection sees the same deletions and additions;
//   - the other side changed none of those paths (nor a folder in their place), so git
//     takes the new versions as they are, without a content merge or a merge driver;
//   - none of them is a .gitattributes file, which could change how other files merge.
//
// The commits a conflict or an overlap names stay the same too: the blame-like walk
// passes the new commits by their first parents, which did not change those files.
func (e *Engine) carries(ctx context.Context, base, from, to, other plumbing.Hash) (string, error) {
	bases, err := e.mergeBases(ctx, to, other)
	if err != nil {
		return "", err
	}
	if len(bases) != 1 || bases[0] != base {
		return "the merge bases changed", nil
	}
	touched := map[string]bool{}
	for cur, steps := to, 0; cur != from; steps++ {
		n, err := e.graph.node(cur)
		if err != nil {
			return "", err
		}
		if steps == maxCarry || len(n.parents) == 0 {
			return "not on the first-parent line of where it was", nil
		}
		cs, err := e.changeSet(ctx, n.parents[0], cur)
		if err != nil {
			return "", err
		}
		if len(cs.RemovedDirs) > 0 {
			return "a folder removed", nil
		}
		for _, p := range cs.Paths {
			touched[p] = true
		}
		cur = n.parents[0]
	}
	if len(touched) == 0 {
		return "", nil // e.g. an empty commit
	}
	otherSide, err := e.side(ctx, other, []plumbing.Hash{base})
	if err != nil {
		return "", err
	}
	for p := range touched { // the map lookups first: they settle most pairs
		switch {
		case pathpkg.Base(p) == ".gitattributes":
			return "attributes changed", nil
		case otherSide.has(p) || otherSide.hasDir(p):
			return "the other side changed " + p, nil
		}
	}
	for p := range touched {
		for _, c := range [3]plumbing.Hash{base, from, to} {
			ent, ok, err := e.lookup(c, p)
			if err != nil {
				return "", err
			}
			if !ok || ent.Mode == filemode.Dir {
				return p + " added or deleted", nil
			}
		}
	}
	return "", nil
}
