package radar

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/sync/errgroup"
)

// Change-set composition: what a commit changed against a merge base, as the union of
// change sets between known points on its first-parent chain, each diffed once per run
// (or read from the cache) and shared by every pair that needs it.

// maxChain bounds the first-parent walk from a commit looking for its base.
const maxChain = 10000

// changes is what c changed against base, as change sets whose union holds every path
// that differs. When base is on c's first-parent chain with other known commits between
// (merge bases and refs of this run), it is the changes between consecutive ones: a
// kickoff forked late and one forked early share main's stretch between their forks, so
// each stretch is diffed once for all pairs instead of once per pair. The union may hold
// a path changed and changed back, which only costs a closer look (the prefilter and the
// line proof stay sound with more paths); otherwise it is the direct diff.
func (e *Engine) changes(ctx context.Context, base, c plumbing.Hash) ([]*ChangeSet, error) {
	var sets []*ChangeSet
	for _, k := range e.intervals(c, base) {
		cs, err := e.changeSet(ctx, k[1], k[0])
		if err != nil {
			return nil, err
		}
		sets = append(sets, cs)
	}
	return sets, nil
}

// intervals are the (side, base) diffs whose union is c's changes against base; the
// chain is walked once per run for each commit and base (every pair of a ref asks).
func (e *Engine) intervals(c, base plumbing.Hash) [][2]plumbing.Hash {
	key := [2]plumbing.Hash{c, base}
	if out, ok := e.spans[key]; ok {
		return out
	}
	out := [][2]plumbing.Hash{key}
	if points := e.chain(c, base); len(points) >= 3 {
		out = make([][2]plumbing.Hash, 0, len(points)-1)
		for i := 0; i+1 < len(points); i++ {
			out = append(out, [2]plumbing.Hash{points[i], points[i+1]})
		}
	}
	e.spans[key] = out
	return out
}

// precompute diffs in parallel the change sets the jobs need that neither this run nor
// the cache has. go-git's object storage is not safe for concurrent use, so each worker
// but the first opens its own (its pack index costs a few milliseconds: only worth it
// for a few diffs or more).
func (e *Engine) precompute(ctx context.Context, jobs []*job) error {
	var todo [][2]plumbing.Hash
	seen := map[[2]plumbing.Hash]bool{}
	for _, j := range jobs {
		for _, c := range [2]plumbing.Hash{j.a, j.b} {
			for _, b := range j.bases {
				for _, k := range e.intervals(c, b) {
					if seen[k] || e.sets[k] != nil {
						continue
					}
					seen[k] = true
					var stored ChangeSet
					if e.cache.get(bucketChanges, k[0].String()+":"+k[1].String(), &stored) {
						e.sets[k] = &stored
						continue
					}
					todo = append(todo, k)
				}
			}
		}
	}
	workers := min(runtime.NumCPU(), 4, len(todo)/4)
	if workers < 2 {
		return nil // changeSet diffs them as they come
	}
	results := make([]*ChangeSet, len(todo))
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for w := 0; w < workers; w++ {
		g.Go(func() error {
			d := e.differ
			if w > 0 {
				st := forkStorage(e.st, e.repo.CommonDir)
				if c, ok := st.(interface{ Close() error }); ok {
					defer c.Close()
				}
				d = newTreeDiffer(st, e.differ.trees)
			}
			for i := int(next.Add(1)) - 1; i < len(todo); i = int(next.Add(1)) - 1 {
				cs, err := d.computeChanges(gctx, todo[i][1], todo[i][0])
				if err != nil {
					return err
				}
				results[i] = cs
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, k := range todo {
		e.sets[k] = results[i]
		e.pendingSets = append(e.pendingSets, k)
	}
	e.Stats.Diffed += len(todo)
	return nil
}

// chain walks first parents from c to base and returns c, the known commits met on the
// way, and base; nil when base is not met (then the caller diffs directly). The walk
// gives up at a commit a day older than base, or after maxChain steps.
func (e *Engine) chain(c, base plumbing.Hash) []plumbing.Hash {
	bn, err := e.graph.node(base)
	if err != nil {
		return nil
	}
	limit := bn.when.Add(-24 * time.Hour)
	points := []plumbing.Hash{c}
	for cur, steps := c, 0; steps < maxChain; steps++ {
		n, err := e.graph.node(cur)
		if err != nil || len(n.parents) == 0 || n.when.Before(limit) {
			return nil
		}
		cur = n.parents[0]
		if cur == base {
			return append(points, base)
		}
		if e.known[cur] {
			points = append(points, cur)
		}
	}
	return nil
}

// changeSet is what side changed against base by a direct diff, computed once and cached.
func (e *Engine) changeSet(ctx context.Context, base, side plumbing.Hash) (*ChangeSet, error) {
	k := [2]plumbing.Hash{side, base}
	if cs, ok := e.sets[k]; ok {
		return cs, nil
	}
	var stored ChangeSet
	if e.cache.get(bucketChanges, side.String()+":"+base.String(), &stored) {
		e.sets[k] = &stored
		return &stored, nil
	}
	cs, err := e.differ.computeChanges(ctx, base, side)
	if err != nil {
		return nil, err
	}
	e.pendingSets = append(e.pendingSets, k)
	e.sets[k] = cs
	e.Stats.Diffed++
	return cs, nil
}
