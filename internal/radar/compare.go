package radar

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// AllPairs lists every pair i<j of n refs, in order.
func AllPairs(n int) [][2]int {
	var ps [][2]int
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			ps = append(ps, [2]int{i, j})
		}
	}
	return ps
}

// job is a pair to decide afresh: its commits, merge bases and sides, and its verdict
// once decided.
type job struct {
	idx    int
	a, b   plumbing.Hash
	bases  []plumbing.Hash
	sideA  *sideIndex
	sideB  *sideIndex
	both   []string // see sharedPaths
	result *Pair
	err    error
	spec   *speculation // its merge, started early (see speculate)
}

// sharedPaths lists the files both sides changed, sorted: computed once for the line
// proof and the overlaps.
func (j *job) sharedPaths() []string {
	if j.both == nil {
		j.both = shared(j.sideA, j.sideB)
	}
	return j.both
}

// comparison is one Compare call: the report its phases fill and the new verdicts they
// leave for the cache.
type comparison struct {
	refs     []RefInfo
	pairs    [][2]int
	rep      *Report
	verdicts map[string]any // new verdicts by "A commit:B commit"
	done     int
	progress func(done, total int)
	spec     map[int]*speculation // by pair: merges started early (see speculate)
}

// speculation is git merge-tree for one pair, started before the radar knows whether it
// needs it (see speculate).
type speculation struct {
	done   chan struct{}
	out    mergeOutcome
	cancel context.CancelFunc
	taken  bool // a job waits for it (see decideInProcess)
}

// speculate starts git merge-tree at once for the fresh pairs of a small run (a pull
// request's check) that no last verdict may decide: git merges on one core while the
// radar finds the merge bases and tries its prefilter and line proof on another, so a
// pair those cannot decide costs git's merge alone instead of both one after the other,
// and a pair they decide has its merge stopped (stopSpeculation). Not in a bare
// repository, whose merges need attributes from the trees (see mergeDir), known later,
// nor on a single CPU (GOMAXPROCS, which follows a container's quota), where git would
// take the core the radar needs.
func (e *Engine) speculate(ctx context.Context, c *comparison, fresh []int, candidates map[int]*carryCandidate) {
	if e.repo.Bare() || len(fresh) > smallRun || runtime.GOMAXPROCS(0) < 2 {
		return
	}
	env := e.cg.gitEnv()
	for _, i := range fresh {
		if candidates[i] != nil {
			continue
		}
		a, b := c.refs[c.pairs[i][0]].Commit, c.refs[c.pairs[i][1]].Commit
		sctx, cancel := context.WithCancel(ctx)
		s := &speculation{done: make(chan struct{}), cancel: cancel}
		go func() {
			defer close(s.done)
			s.out.mt, s.out.err = runMergeTree(sctx, mergeDir{Dir: e.repo.Root}, env, a, b)
		}()
		if c.spec == nil {
			c.spec = map[int]*speculation{}
		}
		c.spec[i] = s
		e.Stats.Early++
	}
}

// stopSpeculation stops the early merges no job took (all: every one, as Compare ends)
// and waits for them to end.
func (c *comparison) stopSpeculation(all bool) {
	for i, s := range c.spec {
		if s.taken && !all {
			continue
		}
		s.cancel()
		<-s.done
		delete(c.spec, i)
	}
}

// set puts pair i's verdict in the report, and among the verdicts to store when fresh.
func (c *comparison) set(i int, p Pair, fresh bool) {
	c.rep.Pairs[i] = p
	if fresh {
		c.verdicts[p.ACommit+":"+p.BCommit] = p
	}
}

// tick counts a decided pair. Once merges run it is called under e.mu.
func (c *comparison) tick() {
	c.done++
	if c.progress != nil {
		c.progress(c.done, len(c.pairs))
	}
}

// Compare merges each pair (indexes into refs, merging B into A) in memory and reports.
// The pairs go down a cascade that stops at the first phase able to decide them, the
// cheapest first: the cache's verdict, the last run's verdict carried over, the prefilter
// on changed paths, the line proof of the files both sides changed, and git merge-tree.
func (e *Engine) Compare(ctx context.Context, refs []RefInfo, pairs [][2]int) (*Report, error) {
	start := time.Now()
	e.Stats = Stats{}
	c := &comparison{
		refs: refs, pairs: pairs, rep: &Report{Refs: refs, Pairs: make([]Pair, len(pairs))},
		verdicts: map[string]any{}, progress: e.opts.Progress,
	}
	fresh, candidates := e.cached(c, e.lastTips(refs))
	e.prepareGraph(ctx, c, fresh)
	e.speculate(ctx, c, fresh, candidates)
	defer c.stopSpeculation(true)
	jobs, err := e.carriedOrBased(ctx, c, fresh, candidates)
	if err != nil {
		return nil, err
	}
	slog.Debug("merge bases", "pairs", len(jobs), "carried", e.Stats.BasesCarried, "commits read", e.graph.read, "took", time.Since(start))
	if err := e.precompute(ctx, jobs); err != nil {
		return nil, err
	}
	slog.Debug("changes diffed", "diffs", e.Stats.Diffed, "took", time.Since(start))
	if err := e.gitChecked(ctx); err != nil {
		return nil, err
	}
	pool := e.startMerges(ctx, len(jobs), c.tick)
	merging, err := e.decideInProcess(ctx, c, jobs, pool)
	c.stopSpeculation(false) // those of the pairs decided in process
	if err != nil {
		pool.cancel()
		pool.wait()
		return nil, err
	}
	slog.Debug("pairs prepared", "cached", e.Stats.Cached, "prefiltered", e.Stats.Prefiltered, "disjoint", e.Stats.Disjoint, "to merge", len(merging), "started early", e.Stats.Early, "took", time.Since(start))
	if err := pool.wait(); err != nil {
		return nil, err
	}
	e.Stats.Merged = len(merging)
	for _, j := range merging {
		c.set(j.idx, *j.result, true)
	}
	slog.Debug("pairs merged", "took", time.Since(start))
	e.storeRun(c.verdicts)
	return c.rep, nil
}

// lastTips says where each ref was at the last run (zero when unknown or unmoved) and
// records where it is now. With the refs' commits and the merge bases, the last tips are
// the points change sets are composed at (see changes): a kickoff that moved by a commit
// costs a diff of that commit.
func (e *Engine) lastTips(refs []RefInfo) []plumbing.Hash {
	prev := make([]plumbing.Hash, len(refs))
	e.movedFrom = map[plumbing.Hash]plumbing.Hash{}
	for i, r := range refs {
		var last string
		found := e.cache.get(bucketMeta, "tip:"+r.Name, &last)
		if found && last == r.Commit {
			continue // unmoved: nothing to remember anew, so a run the cache answers writes nothing
		}
		if found {
			prev[i] = plumbing.NewHash(last)
			e.known[prev[i]] = true
			e.movedFrom[plumbing.NewHash(r.Commit)] = prev[i]
		}
		e.pendingMeta["tip:"+r.Name] = r.Commit
	}
	return prev
}

// cached is the first phase: the pairs whose verdict the cache holds. It returns the
// others, with the last run's verdict for those that may carry it over (see carry). The
// merge bases of the verdicts at hand are known points before any change set is
// composed, as they were at the last run.
func (e *Engine) cached(c *comparison, prevTips []plumbing.Hash) (fresh []int, candidates map[int]*carryCandidate) {
	candidates = map[int]*carryCandidate{}
	for i, pair := range c.pairs {
		ra, rb := c.refs[pair[0]], c.refs[pair[1]]
		e.known[plumbing.NewHash(ra.Commit)], e.known[plumbing.NewHash(rb.Commit)] = true, true
		var p Pair
		if e.cache.get(bucketPairs, ra.Commit+":"+rb.Commit, &p) {
			p.A, p.B = ra.Name, rb.Name
			c.set(i, p, false)
			e.Stats.Cached++
			c.tick()
			e.markKnown(p.MergeBases)
			continue
		}
		fresh = append(fresh, i)
		if cand := e.previous(ra, rb, prevTips[pair[0]], prevTips[pair[1]]); cand != nil {
			candidates[i] = cand
			e.markKnown(cand.prev.MergeBases)
		}
	}
	return fresh, candidates
}

// carriedOrBased is the second phase: a fresh pair keeps the last run's verdict when it
// can (see carry); otherwise it becomes a job with its merge bases. One pair at a time,
// in order: the merge bases found are known points for the pairs after it.
func (e *Engine) carriedOrBased(ctx context.Context, c *comparison, fresh []int, candidates map[int]*carryCandidate) ([]*job, error) {
	var jobs []*job
	for _, i := range fresh {
		ra, rb := c.refs[c.pairs[i][0]], c.refs[c.pairs[i][1]]
		if cand := candidates[i]; cand != nil {
			p, err := e.carry(ctx, cand)
			if err != nil {
				return nil, fmt.Errorf("%s and %s: %w", ra.Name, rb.Name, err)
			}
			if p != nil {
				c.set(i, *p, true)
				e.Stats.Carried++
				c.tick()
				continue
			}
		}
		j, err := e.newJob(ctx, i, ra, rb)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// newJob finds the pair's merge bases, which become known points (see changes).
func (e *Engine) newJob(ctx context.Context, i int, ra, rb RefInfo) (*job, error) {
	a, b := plumbing.NewHash(ra.Commit), plumbing.NewHash(rb.Commit)
	bases, err := e.mergeBases(ctx, a, b)
	if err != nil {
		return nil, fmt.Errorf("%s and %s: %w", ra.Name, rb.Name, err)
	}
	if len(bases) == 0 {
		if e.graph.isShallow() || e.graph.missing {
			return nil, &ShallowError{A: ra.Name, B: rb.Name}
		}
		return nil, fmt.Errorf("%s and %s have unrelated histories (no common commit): they cannot be merged, so there is nothing to compare; leave one of them out", ra.Name, rb.Name)
	}
	for _, h := range bases {
		e.known[h] = true
	}
	return &job{idx: i, a: a, b: b, bases: bases}, nil
}

// decideInProcess runs the in-process phases over the jobs, in three sweeps so that the
// pairs git must merge reach the pool early: the prefilter over every pair, the line
// proof over the pairs in contact, then the overlaps of those it proved clean. It returns
// the pairs sent to git.
func (e *Engine) decideInProcess(ctx context.Context, c *comparison, jobs []*job, pool *mergePool) ([]*job, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	record := func(j *job) {
		c.set(j.idx, *j.result, true)
		c.tick()
	}
	var contact, proven, merging []*job
	for _, j := range jobs {
		ra, rb := c.refs[c.pairs[j.idx][0]], c.refs[c.pairs[j.idx][1]]
		if interacts, err := e.prefilter(ctx, j, ra, rb); err != nil {
			return nil, err
		} else if interacts {
			e.mergeSettings(ctx) // asked now, ready when the line proof needs it
			contact = append(contact, j)
		} else {
			record(j)
		}
	}
	for _, j := range contact {
		ok, err := e.disjoint(ctx, j)
		if err != nil {
			return nil, err
		}
		if ok {
			j.result.Clean, j.result.DecidedBy = true, ByDisjoint
			proven = append(proven, j)
		} else {
			merging = append(merging, j)
			if j.spec = c.spec[j.idx]; j.spec != nil {
				j.spec.taken = true
			}
			pool.add(j)
		}
	}
	for _, j := range proven {
		if err := e.overlaps(j, nil); err != nil {
			return nil, err
		}
		record(j)
	}
	e.Stats.Disjoint = len(proven)
	return merging, nil
}

// markKnown adds commits to the points change sets are composed at (see changes).
func (e *Engine) markKnown(ids []string) {
	for _, id := range ids {
		e.known[plumbing.NewHash(id)] = true
	}
}
