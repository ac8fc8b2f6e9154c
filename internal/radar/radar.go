package radar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	pathpkg "path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage"
	"golang.org/x/sync/errgroup"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// NeighbourLines is how close two changes to a file may be (in lines of the merge base)
// to count as an overlap.
const NeighbourLines = 3

// Options tune an Engine.
type Options struct {
	CacheDir string // where radar.db lives ("" = no cache)
	Workers  int    // parallel git merge-tree runs (default: number of CPUs)
	Remote   string // remote whose branches stand in for missing local ones (default "origin")
	// Progress, when set, hears how many pairs are done.
	Progress func(done, total int)
}

// Engine compares refs of one repository. Not safe for concurrent Compare calls.
type Engine struct {
	repo  *gitrepo.Repo
	st    storage.Storer
	graph *commitGraph
	cache *cache
	opts  Options
	Git   GitVersion

	// Stats counts how the last Compare decided its pairs.
	Stats Stats

	mu           sync.Mutex // guards go-git reads once workers run
	files        map[fileKey]*fileVersion
	blobs        map[plumbing.Hash]*fileVersion // read blobs by id (see fileAt)
	diffs        map[[2]plumbing.Hash][]hunk    // line diffs by blob ids (see hunks)
	sets         map[[2]plumbing.Hash]*ChangeSet
	pendingSets  [][2]plumbing.Hash
	pendingBases map[string]any
	pendingMeta  map[string]any
	differ       *treeDiffer
	roots        map[plumbing.Hash]plumbing.Hash // commit -> root tree
	sides        map[string]*sideIndex
	setIdx       map[*ChangeSet]*setIndex
	known        map[plumbing.Hash]bool                  // refs' commits and merge bases of this run
	spans        map[[2]plumbing.Hash][][2]plumbing.Hash // see intervals
	attrs        map[string]bool                         // work-tree attributes files: do they affect merges?
	plainOnce    sync.Once                               // see plainMerges
	plain        bool
}

// Stats says how pairs were decided: read from the cache, carried over from the last
// run's verdict, cleared by the prefilter, proven clean line by line (disjoint), or
// merged by git merge-tree; and how many tree diffs the run computed.
type Stats struct {
	Cached, Carried, Prefiltered, Disjoint, Merged int
	Diffed                                         int
}

// Open checks the git binary and opens the cache.
func Open(ctx context.Context, repo *gitrepo.Repo, opts Options) (*Engine, error) {
	var c *cache
	if opts.CacheDir != "" {
		var err error
		if c, err = openCache(opts.CacheDir); err != nil {
			slog.Warn("running without the radar cache", "err", err)
			c = nil
		}
	}
	v, err := checkGit(ctx, c)
	if err != nil {
		c.Close()
		return nil, err
	}
	if opts.Workers <= 0 {
		// git merge-tree processes wait on the disk as much as on a CPU.
		opts.Workers = 2 * runtime.NumCPU()
	}
	if opts.Remote == "" {
		opts.Remote = "origin"
	}
	usePlainSHA1()
	st := openStorage(repo.CommonDir)
	e := &Engine{
		repo: repo, st: st, graph: newCommitGraph(st), opts: opts, Git: v,
		files: map[fileKey]*fileVersion{}, blobs: map[plumbing.Hash]*fileVersion{},
		diffs: map[[2]plumbing.Hash][]hunk{}, sets: map[[2]plumbing.Hash]*ChangeSet{},
		pendingBases: map[string]any{}, pendingMeta: map[string]any{}, differ: newTreeDiffer(st, nil),
		roots: map[plumbing.Hash]plumbing.Hash{}, sides: map[string]*sideIndex{}, setIdx: map[*ChangeSet]*setIndex{},
		known: map[plumbing.Hash]bool{}, spans: map[[2]plumbing.Hash][][2]plumbing.Hash{},
		attrs: map[string]bool{},
	}
	e.cache = c
	return e, nil
}

// Close releases the cache, the open pack files and everything the engine read (its
// trees, blobs and diffs: tens of MB on a large repository). Stats stay readable.
func (e *Engine) Close() error {
	if c, ok := e.st.(interface{ Close() error }); ok {
		c.Close()
	}
	err := e.cache.Close()
	*e = Engine{Stats: e.Stats, Git: e.Git}
	return err
}

// Resolve turns names (branches, remote branches, tags, commit ids, revisions such as
// HEAD~2) into commits, with git's precedence: full ids, then refs/<name>, tags,
// branches, remote branches, then the remote's branch of that name, then short ids.
func (e *Engine) Resolve(names []string) ([]RefInfo, error) {
	out := make([]RefInfo, 0, len(names))
	for _, n := range names {
		h, err := e.resolve(n)
		if err != nil {
			return nil, err
		}
		out = append(out, RefInfo{Name: n, Commit: h.String()})
	}
	return out, nil
}

func (e *Engine) resolve(n string) (plumbing.Hash, error) {
	h, err := e.resolveName(n)
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
		return h, fmt.Errorf("%s names %s, which is not a commit", name, short(h.String()))
	}
	e.pendingMeta[key] = c.String()
	return c, nil
}

func (e *Engine) resolveName(n string) (plumbing.Hash, error) {
	if len(n) == 40 && plumbing.IsHash(n) {
		return plumbing.NewHash(n), nil
	}
	for _, full := range []string{n, "refs/" + n, "refs/tags/" + n, "refs/heads/" + n, "refs/remotes/" + n, "refs/remotes/" + e.opts.Remote + "/" + n} {
		ref, err := storer.ResolveReference(e.st, plumbing.ReferenceName(full))
		if err != nil {
			continue
		}
		return ref.Hash(), nil
	}
	return e.repo.Resolve(n) // revisions such as HEAD~2 or short ids
}

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

type job struct {
	idx    int
	a, b   plumbing.Hash
	bases  []plumbing.Hash
	sideA  *sideIndex
	sideB  *sideIndex
	both   []string // see sharedPaths
	result *Pair
	err    error
}

// sharedPaths lists the files both sides changed, sorted: computed once for the line
// proof and the overlaps.
func (j *job) sharedPaths() []string {
	if j.both == nil {
		j.both = shared(j.sideA, j.sideB)
	}
	return j.both
}

// Compare merges each pair (indexes into refs, merging B into A) in memory and reports.
func (e *Engine) Compare(ctx context.Context, refs []RefInfo, pairs [][2]int) (*Report, error) {
	start := time.Now()
	rep := &Report{Refs: refs, Pairs: make([]Pair, len(pairs))}
	e.Stats = Stats{}
	var todo []*job
	newPairs := map[string]any{}
	done := 0
	progress := func() {
		done++
		if e.opts.Progress != nil {
			e.opts.Progress(done, len(pairs))
		}
	}
	// First the merge bases of every pair to compute: with the refs' commits, and where
	// the refs were at the last run, they are the points whose changes are composed (see
	// changes); a kickoff that moved by a commit costs a diff of that commit.
	prevTips := make([]plumbing.Hash, len(refs))
	for i, r := range refs {
		var last string
		if e.cache.get(bucketMeta, "tip:"+r.Name, &last) && last != r.Commit {
			prevTips[i] = plumbing.NewHash(last)
			e.known[prevTips[i]] = true
		}
		e.pendingMeta["tip:"+r.Name] = r.Commit
	}
	// Pairs not in the cache may carry over the verdict their refs had at the last run
	// (see carry). The merge bases of the verdicts at hand are known points before any
	// change set is composed, as they were at the last run.
	var fresh []int
	candidates := map[int]*carryCandidate{}
	for i, pair := range pairs {
		ra, rb := refs[pair[0]], refs[pair[1]]
		e.known[plumbing.NewHash(ra.Commit)], e.known[plumbing.NewHash(rb.Commit)] = true, true
		var cached Pair
		if e.cache.get(bucketPairs, ra.Commit+":"+rb.Commit, &cached) {
			cached.A, cached.B = ra.Name, rb.Name
			rep.Pairs[i] = cached
			e.Stats.Cached++
			progress()
			e.markKnown(cached.MergeBases)
			continue
		}
		fresh = append(fresh, i)
		if c := e.previous(ra, rb, prevTips[pair[0]], prevTips[pair[1]]); c != nil {
			candidates[i] = c
			e.markKnown(c.prev.MergeBases)
		}
	}
	var jobs []*job
	for _, i := range fresh {
		ra, rb := refs[pairs[i][0]], refs[pairs[i][1]]
		a, b := plumbing.NewHash(ra.Commit), plumbing.NewHash(rb.Commit)
		if c := candidates[i]; c != nil {
			p, err := e.carry(ctx, c)
			if err != nil {
				return nil, fmt.Errorf("%s and %s: %w", ra.Name, rb.Name, err)
			}
			if p != nil {
				rep.Pairs[i] = *p
				newPairs[p.ACommit+":"+p.BCommit] = *p
				e.Stats.Carried++
				progress()
				continue
			}
		}
		bases, err := e.mergeBases(a, b)
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
		jobs = append(jobs, &job{idx: i, a: a, b: b, bases: bases})
	}
	slog.Debug("merge bases", "pairs", len(jobs), "took", time.Since(start))
	if err := e.precompute(ctx, jobs); err != nil {
		return nil, err
	}
	slog.Debug("changes diffed", "diffs", e.Stats.Diffed, "took", time.Since(start))
	// The pairs are decided in process where possible, in three sweeps, so that those git
	// must merge reach it early: the prefilter over every pair, the line proof over the
	// pairs in contact, then the overlaps of those it proved clean.
	pool := e.startMerges(ctx, len(jobs), progress)
	record := func(j *job) {
		rep.Pairs[j.idx] = *j.result
		newPairs[j.result.ACommit+":"+j.result.BCommit] = *j.result
		progress()
	}
	err := func() error {
		e.mu.Lock()
		defer e.mu.Unlock()
		var contact, proven []*job
		for _, j := range jobs {
			ra, rb := refs[pairs[j.idx][0]], refs[pairs[j.idx][1]]
			if interacts, err := e.prefilter(ctx, j, ra, rb); err != nil {
				return err
			} else if interacts {
				contact = append(contact, j)
			} else {
				record(j)
			}
		}
		for _, j := range contact {
			ok, err := e.disjoint(j)
			if err != nil {
				return err
			}
			if ok {
				j.result.Clean, j.result.DecidedBy = true, ByDisjoint
				proven = append(proven, j)
			} else {
				todo = append(todo, j)
				pool.add(j)
			}
		}
		for _, j := range proven {
			if err := e.overlaps(j, nil); err != nil {
				return err
			}
			record(j)
		}
		e.Stats.Disjoint = len(proven)
		return nil
	}()
	if err != nil {
		pool.cancel()
		pool.wait()
		return nil, err
	}
	slog.Debug("pairs prepared", "cached", e.Stats.Cached, "prefiltered", e.Stats.Prefiltered, "disjoint", e.Stats.Disjoint, "to merge", len(todo), "took", time.Since(start))
	if err := pool.wait(); err != nil {
		return nil, err
	}
	e.Stats.Merged = len(todo)
	for _, j := range todo {
		rep.Pairs[j.idx] = *j.result
		newPairs[j.result.ACommit+":"+j.result.BCommit] = *j.result
	}
	slog.Debug("pairs merged", "took", time.Since(start))
	e.storeSets(newPairs)
	return rep, nil
}

// markKnown adds commits to the points change sets are composed at (see changes).
func (e *Engine) markKnown(ids []string) {
	for _, id := range ids {
		e.known[plumbing.NewHash(id)] = true
	}
}

// prefilter computes the pair's sides and starts its result; it reports whether the
// sides are in contact (else the pair is clean, by the prefilter).
func (e *Engine) prefilter(ctx context.Context, j *job, ra, rb RefInfo) (bool, error) {
	var err error
	if j.sideA, err = e.side(ctx, j.a, j.bases); err != nil {
		return false, err
	}
	if j.sideB, err = e.side(ctx, j.b, j.bases); err != nil {
		return false, err
	}
	j.result = &Pair{
		A: ra.Name, B: rb.Name, ACommit: ra.Commit, BCommit: rb.Commit,
		MergeBases: hashStrings(j.bases), Conflicts: []Conflict{}, Overlaps: []Overlap{},
	}
	ok, why := mayInteract(j.sideA, j.sideB)
	if !ok {
		j.result.Clean, j.result.DecidedBy = true, ByPrefilter
		e.Stats.Prefiltered++
		return false, nil
	}
	slog.Debug("pair in contact", "a", ra.Name, "b", rb.Name, "why", why)
	return true, nil
}

// mergePool merges pairs with a bounded pool of git merge-tree processes while the
// caller goes on preparing pairs: git runs on one core while the in-process work runs
// on another. The in-process work on each result (ranges, overlaps, attribution) and
// the caller's preparation share the engine's reads, so both hold e.mu. Where git has
// merge-tree --stdin (2.40 and later), the pairs go to it once all are known, in one
// batch per worker: a process per worker instead of one per pair. Otherwise, and for a
// batch git could not finish, one process per pair, started as soon as the pair is known.
type mergePool struct {
	ctx      context.Context
	cancel   context.CancelFunc
	ch       chan []*job
	batch    []*job // pairs waiting for wait (--stdin only)
	stdin    bool
	workers  int
	wg       sync.WaitGroup
	errOnce  sync.Once
	firstErr error
}

// startMerges starts the pool for at most n pairs; progress is called under e.mu.
func (e *Engine) startMerges(ctx context.Context, n int, progress func()) *mergePool {
	m := &mergePool{ch: make(chan []*job, n), stdin: e.Git.AtLeast(2, 40), workers: min(e.opts.Workers, n)}
	m.ctx, m.cancel = context.WithCancel(ctx)
	for w := 0; w < m.workers; w++ {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			for batch := range m.ch {
				if m.ctx.Err() != nil {
					continue
				}
				results := m.merge(e.repo.Root, batch)
				for i, j := range batch {
					e.mu.Lock()
					err := results[i].err
					if err == nil {
						err = e.finish(j, results[i].mt)
					}
					if err != nil {
						if errors.Is(err, ErrUnrelated) {
							err = fmt.Errorf("%s and %s have unrelated histories: they cannot be merged", j.result.A, j.result.B)
						}
						m.errOnce.Do(func() { m.firstErr = err; m.cancel() })
					} else {
						progress()
					}
					e.mu.Unlock()
				}
			}
		}()
	}
	return m
}

type mergeOutcome struct {
	mt  *mergeTreeResult
	err error
}

// merge runs git for a batch: one --stdin process when it can, else (or when that
// process fails) one process per pair, so a failure is reported for the pair it is about.
func (m *mergePool) merge(dir string, batch []*job) []mergeOutcome {
	out := make([]mergeOutcome, len(batch))
	if m.stdin && len(batch) > 1 {
		pairs := make([][2]string, len(batch))
		for i, j := range batch {
			pairs[i] = [2]string{j.a.String(), j.b.String()}
		}
		mts, err := runMergeTrees(m.ctx, dir, pairs)
		if err == nil {
			for i, mt := range mts {
				out[i].mt = mt
			}
			return out
		}
		slog.Debug("git merge-tree --stdin failed; merging the batch pair by pair", "err", err)
	}
	for i, j := range batch {
		out[i].mt, out[i].err = runMergeTree(m.ctx, dir, j.a.String(), j.b.String())
	}
	return out
}

// add queues a pair; it never blocks (the queue holds every pair startMerges was told of).
// With --stdin the pairs wait for wait, which shares them among the workers.
func (m *mergePool) add(j *job) {
	if m.stdin {
		m.batch = append(m.batch, j)
		return
	}
	m.ch <- []*job{j}
}

// wait sends what is left, waits for every queued merge and returns the first error.
func (m *mergePool) wait() error {
	defer m.cancel()
	// As many batches as workers, so the batches run side by side.
	for w, n := 0, m.workers; len(m.batch) > 0; w++ {
		k := (len(m.batch) + n - w - 1) / (n - w)
		m.ch <- m.batch[:k]
		m.batch = m.batch[k:]
	}
	close(m.ch)
	m.wg.Wait()
	if m.firstErr != nil {
		return m.firstErr
	}
	return m.ctx.Err()
}

// finish turns git's answer into the pair's conflicts and overlaps.
func (e *Engine) finish(j *job, mt *mergeTreeResult) error {
	p := j.result
	p.DecidedBy = ByMergeTree
	p.Clean = len(mt.Conflicted) == 0
	kinds := kindsByPath(mt)
	conflicted := map[string]bool{}
	resultTree := plumbing.NewHash(mt.Tree)
	for _, path := range mt.Conflicted {
		conflicted[path] = true
		m, ok := kinds[path]
		c := Conflict{Path: asNamed(path, j, p), Kind: KindContent, Ours: []Range{}, Theirs: []Range{}}
		if ok {
			c.Kind = kindOf(m)
			c.Message = strings.NewReplacer(j.a.String(), p.A, j.b.String(), p.B).Replace(m.Text)
		}
		if c.Kind == KindContent || c.Kind == KindAddAdd {
			ours, theirs, err := e.conflictRanges(resultTree, j.a, j.b, path)
			if err != nil {
				return err
			}
			c.Ours, c.Theirs = ours, theirs
		}
		related := append([]string{path}, m.Paths...)
		c.OursBy = e.attribute(j.a, j.bases, related, nilIfEmpty(c.Ours))
		c.TheirsBy = e.attribute(j.b, j.bases, related, nilIfEmpty(c.Theirs))
		p.Conflicts = append(p.Conflicts, c)
	}
	if err := e.overlaps(j, conflicted); err != nil {
		return err
	}
	sort.Slice(p.Conflicts, func(x, y int) bool { return p.Conflicts[x].Path < p.Conflicts[y].Path })
	return nil
}

// overlaps adds the files both sides changed, and git did not report conflicted, whose
// changes lie at the same or neighbouring lines.
func (e *Engine) overlaps(j *job, conflicted map[string]bool) error {
	p := j.result
	for _, path := range j.sharedPaths() {
		if conflicted[path] {
			continue
		}
		o, err := e.overlap(j, path)
		if err != nil {
			return err
		}
		if o != nil {
			p.Overlaps = append(p.Overlaps, *o) // in path order: sharedPaths is sorted
		}
	}
	return nil
}

// asNamed renames git's side-suffixed paths (path~<commit id>, for files git moved aside)
// to what git prints when given the ref names: path~<name with / as _>.
func asNamed(path string, j *job, p *Pair) string {
	for _, s := range [][2]string{{j.a.String(), p.A}, {j.b.String(), p.B}} {
		if strings.HasSuffix(path, "~"+s[0]) {
			return strings.TrimSuffix(path, s[0]) + strings.ReplaceAll(s[1], "/", "_")
		}
	}
	return path
}

// attribute names the side's commits behind a conflict: those that touched the lines of
// the first path; failing that (the side never had it), those that touched any related
// path, then their folders (a rename or a directory rename).
func (e *Engine) attribute(side plumbing.Hash, bases []plumbing.Hash, paths []string, ranges []Range) []Touch {
	if ts := e.touchers(side, bases, paths[0], ranges); len(ts) > 0 {
		return ts
	}
	for _, p := range paths[1:] {
		if ts := e.touchers(side, bases, p, nil); len(ts) > 0 {
			return ts
		}
	}
	for _, p := range paths {
		if d := pathpkg.Dir(p); d != "." {
			if ts := e.touchers(side, bases, d, nil); len(ts) > 0 {
				return ts
			}
		}
	}
	return []Touch{}
}

func nilIfEmpty(r []Range) []Range {
	if len(r) == 0 {
		return nil
	}
	return r
}

// conflictRanges reads the conflict markers git wrote into the merged file and maps them
// to line ranges of each side's own file.
func (e *Engine) conflictRanges(tree, a, b plumbing.Hash, path string) (ours, theirs []Range, err error) {
	ours, theirs = []Range{}, []Range{}
	t, err := objectTree(e.st, tree)
	if err != nil {
		return nil, nil, err
	}
	ent, err := t.FindEntry(path)
	if err != nil || !ent.Mode.IsFile() {
		return ours, theirs, nil // moved aside by git (e.g. path~HEAD): no markers to read
	}
	merged := &fileVersion{Exists: true, Hash: ent.Hash, Mode: ent.Mode}
	if err := e.readBlob(merged); err != nil {
		return nil, nil, err
	}
	if merged.Skip {
		return ours, theirs, nil
	}
	lines := splitLines(merged.Text)
	blocks := parseMarkers(lines)
	if len(blocks) == 0 {
		return ours, theirs, nil
	}
	fa, err := e.fileAt(a, path)
	if err != nil {
		return nil, nil, err
	}
	fb, err := e.fileAt(b, path)
	if err != nil {
		return nil, nil, err
	}
	if fa.Exists && !fa.Skip {
		ours = sideRanges(fa.Text, lines, blocks, true)
	}
	if fb.Exists && !fb.Skip {
		theirs = sideRanges(fb.Text, lines, blocks, false)
	}
	return ours, theirs, nil
}

// overlap compares how each side changed a file both changed and git merged cleanly.
func (e *Engine) overlap(j *job, path string) (*Overlap, error) {
	vs, err := e.filesAt(path, j.a, j.b, j.bases[0])
	if err != nil {
		return nil, err
	}
	fa, fb, base := vs[0], vs[1], vs[2]
	if !fa.Exists || !fb.Exists || fa.Skip || fb.Skip || base.Skip {
		return nil, nil
	}
	ha := e.hunks(base, fa)
	hb := e.hunks(base, fb)
	var ours, theirs []Range
	for _, x := range ha {
		for _, y := range hb {
			if x.OldStart <= y.OldEnd+NeighbourLines && y.OldStart <= x.OldEnd+NeighbourLines {
				ours = append(ours, newRange(x))
				theirs = append(theirs, newRange(y))
			}
		}
	}
	if len(ours) == 0 {
		return nil, nil
	}
	ours, theirs = mergeRanges(ours), mergeRanges(theirs)
	return &Overlap{
		Path: path, Ours: ours, Theirs: theirs,
		OursBy:   e.touchers(j.a, j.bases, path, ours),
		TheirsBy: e.touchers(j.b, j.bases, path, theirs),
	}, nil
}

// newRange is the 1-based range of a hunk's new side; a pure deletion gets the line
// before it.
func newRange(h hunk) Range {
	if h.NewEnd == h.NewStart {
		l := max(1, h.NewStart)
		return Range{l, l}
	}
	return Range{h.NewStart + 1, h.NewEnd}
}

// mergeBases is cached by the commit pair.
func (e *Engine) mergeBases(a, b plumbing.Hash) ([]plumbing.Hash, error) {
	x, y := a.String(), b.String()
	if y < x {
		x, y = y, x
	}
	key := x + ":" + y
	var ids []string
	if e.cache.get(bucketBases, key, &ids) {
		return parseHashes(ids), nil
	}
	bases, err := e.graph.MergeBases(a, b)
	if errors.Is(err, plumbing.ErrObjectNotFound) && (e.graph.isShallow() || e.graph.missing) {
		return nil, nil // the caller explains the shallow clone
	}
	if err != nil {
		return nil, err
	}
	if len(bases) > 0 || !e.graph.isShallow() {
		e.pendingBases[key] = hashStrings(bases)
	}
	return bases, nil
}

// side is one commit's changes against every base of a pair.
func (e *Engine) side(ctx context.Context, c plumbing.Hash, bases []plumbing.Hash) (*sideIndex, error) {
	key := c.String() + ":" + strings.Join(hashStrings(bases), ",")
	if s, ok := e.sides[key]; ok {
		return s, nil
	}
	var sets []*setIndex
	for _, b := range bases {
		css, err := e.changes(ctx, b, c)
		if err != nil {
			return nil, err
		}
		for _, cs := range css {
			x, ok := e.setIdx[cs]
			if !ok {
				x = newSetIndex(cs)
				e.setIdx[cs] = x
			}
			sets = append(sets, x)
		}
	}
	s := newSideIndex(sets)
	e.sides[key] = s
	return s, nil
}

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
				st := openStorage(e.repo.CommonDir)
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

// storeSets writes what this run computed (merge bases, change sets, peeled refs) and
// the new verdicts in one transaction.
func (e *Engine) storeSets(pairs map[string]any) {
	sets := map[string]any{}
	for _, k := range e.pendingSets {
		sets[k[0].String()+":"+k[1].String()] = e.sets[k]
	}
	err := e.cache.putBuckets(map[string]map[string]any{
		string(bucketBases): e.pendingBases, string(bucketChanges): sets,
		string(bucketMeta): e.pendingMeta, string(bucketPairs): pairs,
	})
	if err != nil {
		slog.Warn("could not write the radar cache", "err", err)
	}
	e.pendingSets, e.pendingBases, e.pendingMeta = nil, map[string]any{}, map[string]any{}
}

func hashStrings(hs []plumbing.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}

func parseHashes(ss []string) []plumbing.Hash {
	out := make([]plumbing.Hash, len(ss))
	for i, s := range ss {
		out[i] = plumbing.NewHash(s)
	}
	return out
}

// ConflictedPaths lists a pair's conflicted paths, sorted (what the oracle compares).
func (p Pair) ConflictedPaths() []string {
	out := make([]string, len(p.Conflicts))
	for i, c := range p.Conflicts {
		out[i] = c.Path
	}
	slices.Sort(out)
	return out
}

// Summary is a one-line verdict such as "clean" or "2 conflicted files".
func (p Pair) Summary() string {
	var parts []string
	if p.Clean {
		parts = append(parts, "clean")
	} else {
		parts = append(parts, plural(len(p.Conflicts), "conflicted file"))
	}
	if len(p.Overlaps) > 0 {
		parts = append(parts, plural(len(p.Overlaps), "overlapping file"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
