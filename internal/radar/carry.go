package radar

import (
	"context"
	pathpkg "path"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// maxCarry bounds the new commits a ref may have gained for its pairs' verdicts to be
// carried over.
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
// is a few commits on one side (or on both) that edit files the other side never touched.
// Such commits leave the merge bases as they were, and git's merge takes their edits as
// they are and decides every other path as before: what conflicted still conflicts at the
// same lines, what overlapped still overlaps, touched by the same commits. It returns nil
// when the verdict cannot be carried; then the pair is decided afresh.
func (e *Engine) carry(ctx context.Context, c *carryCandidate) (*Pair, error) {
	if len(c.prev.MergeBases) != 1 {
		return nil, nil
	}
	base := plumbing.NewHash(c.prev.MergeBases[0])
	for _, m := range c.moves {
		ok, err := e.carries(ctx, base, m[0], m[1], m[2])
		if err != nil || !ok {
			return nil, err
		}
	}
	p := c.prev
	p.A, p.B, p.ACommit, p.BCommit = c.ra.Name, c.rb.Name, c.ra.Commit, c.rb.Commit
	p.DecidedBy = ByCarried
	return &p, nil
}

// carries reports whether a pair whose only merge base is base keeps its verdict when
// one side moves from `from` to `to` (other being the other side):
//   - base is not from, so from is no ancestor of other, nor are the new commits: the
//     merge bases stay base alone;
//   - the new commits are a first-parent line of ordinary commits (no merges);
//   - each path they touch is a file (not a folder) in base, in from and in to: no file
//     appears or goes, so git's rename detection sees the same deletions and additions;
//   - the other side changed none of those paths (nor a folder in their place), so git
//     takes the new versions as they are, without a content merge or a merge driver;
//   - none of them is a .gitattributes file, which could change how other files merge.
//
// Every commit a conflict or an overlap names is untouched too: the new commits did not
// change those files, and the blame-like walk passes through them.
func (e *Engine) carries(ctx context.Context, base, from, to, other plumbing.Hash) (bool, error) {
	if base == from || base == to {
		return false, nil
	}
	touched := map[string]bool{}
	cur := to
	for steps := 0; cur != from; steps++ {
		n, err := e.graph.node(cur)
		if err != nil {
			return false, err
		}
		if steps == maxCarry || len(n.parents) != 1 {
			return false, nil
		}
		cs, err := e.changeSet(ctx, n.parents[0], cur)
		if err != nil {
			return false, err
		}
		if len(cs.RemovedDirs) > 0 {
			return false, nil
		}
		for _, p := range cs.Paths {
			touched[p] = true
		}
		cur = n.parents[0]
	}
	if len(touched) == 0 {
		return true, nil // e.g. an empty commit
	}
	otherSide, err := e.side(ctx, other, []plumbing.Hash{base})
	if err != nil {
		return false, err
	}
	for p := range touched {
		if pathpkg.Base(p) == ".gitattributes" || otherSide.paths[p] || otherSide.dirs[p] {
			return false, nil
		}
		for _, c := range [3]plumbing.Hash{base, from, to} {
			ent, ok, err := e.lookup(c, p)
			if err != nil {
				return false, err
			}
			if !ok || ent.Mode == filemode.Dir {
				return false, nil
			}
		}
	}
	return true, nil
}
