package radar

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	commitgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
	"github.com/go-git/go-git/v5/storage"
)

// ErrUnrelated is returned when two commits share no history.
var ErrUnrelated = errors.New("unrelated histories")

// ShallowError says a shallow clone lacks the history that holds a merge base.
type ShallowError struct{ A, B string }

func (e *ShallowError) Error() string {
	return fmt.Sprintf("%s and %s: this is a shallow clone and their merge base is not in it; fetch more history with `git fetch --unshallow` (or `git fetch --deepen=500`), and in CI check out with full history (actions/checkout: fetch-depth: 0)", e.A, e.B)
}

// commitGraph reads commits once (parents and committer date) and computes merge bases
// the way git does (paint down to common from both sides, newest first), so the bases
// equal `git merge-base --all` without walking whole histories.
type commitGraph struct {
	st      storage.Storer
	index   commitgraph.Index // a commit-graph file, read before the objects (may be nil)
	shallow map[plumbing.Hash]bool
	nodes   map[plumbing.Hash]*cnode
	missing bool // a parent object was absent (shallow or broken clone)
	// read counts the commits read from their objects (not from index); a merge-base
	// walk stops with errLongWalk once it passes budget (0: no limit).
	read, budget int
	// known looks a commit up among those read by earlier runs (the radar cache), and
	// fresh keeps those this run read from their objects, for the cache (see storeRun).
	known func(plumbing.Hash) (nodeValue, bool)
	fresh map[plumbing.Hash]nodeValue
}

// errLongWalk: the walk read more commit objects than its budget (see prepareGraph).
var errLongWalk = errors.New("merge-base walk over budget")

type cnode struct {
	hash    plumbing.Hash
	when    time.Time
	parents []plumbing.Hash
	flags   uint8
}

const (
	fParent1 uint8 = 1 << iota
	fParent2
	fStale
	fResult
)

func newCommitGraph(st storage.Storer) *commitGraph {
	g := &commitGraph{st: st, shallow: map[plumbing.Hash]bool{}, nodes: map[plumbing.Hash]*cnode{}}
	if hs, err := st.Shallow(); err == nil {
		for _, h := range hs {
			g.shallow[h] = true
		}
	}
	return g
}

func (g *commitGraph) isShallow() bool { return len(g.shallow) > 0 }

func (g *commitGraph) node(h plumbing.Hash) (*cnode, error) {
	if n, ok := g.nodes[h]; ok {
		return n, nil
	}
	if n := g.fromIndex(h); n != nil {
		g.nodes[h] = n
		return n, nil
	}
	var v nodeValue
	ok := false
	if g.known != nil {
		v, ok = g.known(h)
	}
	if !ok {
		c, err := readCommit(g.st, h)
		if err != nil {
			return nil, err
		}
		g.read++
		v = nodeValue{when: c.when, parents: c.parents}
		if g.fresh != nil {
			g.fresh[h] = v
		}
	}
	n := &cnode{hash: h, when: time.Unix(v.when, 0)}
	if !g.shallow[h] {
		n.parents = v.parents
	}
	g.nodes[h] = n
	return n, nil
}

// nodeValue is what the merge-base walk needs of a commit, as the radar cache keeps it
// (bucketCommits): its committer time and its parents (a shallow clone's boundary hides
// them when the node is made, not here). Commits never change, so neither does this.
type nodeValue struct {
	when    int64
	parents []plumbing.Hash
}

// maxParents bounds the parents a cached commit may list (git's octopus merges stay far
// below): a longer value is damaged.
const maxParents = 1024

func (v nodeValue) MarshalBinary() ([]byte, error) {
	b := binary.BigEndian.AppendUint64(nil, uint64(v.when))
	for _, p := range v.parents {
		b = append(b, p[:]...)
	}
	return b, nil
}

func (v *nodeValue) UnmarshalBinary(b []byte) error {
	if len(b) < 8 || (len(b)-8)%hashSize != 0 || (len(b)-8)/hashSize > maxParents {
		return fmt.Errorf("a cached commit of %d bytes", len(b))
	}
	v.when = int64(binary.BigEndian.Uint64(b))
	v.parents = make([]plumbing.Hash, (len(b)-8)/hashSize)
	for i := range v.parents {
		copy(v.parents[i][:], b[8+i*hashSize:])
	}
	return nil
}

// fewPast says whether at most limit commits reachable from tips are missing from the
// commit-graph file: it walks back from each tip until every path meets the file. The
// commits it reads stay in nodes, where the merge-base walk finds them.
func (g *commitGraph) fewPast(tips []plumbing.Hash, limit int) bool {
	if g.index == nil {
		return false
	}
	seen := map[plumbing.Hash]bool{}
	todo := append([]plumbing.Hash(nil), tips...)
	missing := 0
	for len(todo) > 0 {
		h := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		if _, err := g.index.GetIndexByHash(h); err == nil {
			continue
		}
		if missing++; missing > limit {
			return false
		}
		n, err := g.node(h)
		if err != nil {
			return false // the walk will say what is wrong
		}
		todo = append(todo, n.parents...)
	}
	return true
}

// fromIndex reads a commit's parents and date from the commit-graph file, or nil when the
// file lacks it (a commit newer than the file) or cannot say (then the object decides).
// A shallow boundary commit is read from the object, which knows it has no parents here.
func (g *commitGraph) fromIndex(h plumbing.Hash) *cnode {
	if g.index == nil || g.shallow[h] {
		return nil
	}
	i, err := g.index.GetIndexByHash(h)
	if err != nil {
		return nil
	}
	d, err := g.index.GetCommitDataByIndex(i)
	if err != nil {
		return nil
	}
	return &cnode{hash: h, when: d.When, parents: d.ParentHashes}
}

func (g *commitGraph) clearFlags() {
	for _, n := range g.nodes {
		n.flags = 0
	}
}

type nodeQueue []*cnode

func (q nodeQueue) Len() int           { return len(q) }
func (q nodeQueue) Less(i, j int) bool { return q[i].when.After(q[j].when) }
func (q nodeQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *nodeQueue) Push(x any)        { *q = append(*q, x.(*cnode)) }
func (q *nodeQueue) Pop() any          { old := *q; n := old[len(old)-1]; *q = old[:len(old)-1]; return n }
func (q nodeQueue) hasNonStale() bool {
	for _, n := range q {
		if n.flags&fStale == 0 {
			return true
		}
	}
	return false
}

// paintDown is git's paint_down_to_common: it returns the common ancestors of one and
// twos that no other common ancestor found first reaches (candidates, maybe redundant).
func (g *commitGraph) paintDown(one *cnode, twos []*cnode) ([]*cnode, error) {
	g.clearFlags()
	q := &nodeQueue{}
	one.flags |= fParent1
	heap.Push(q, one)
	for _, t := range twos {
		t.flags |= fParent2
		heap.Push(q, t)
	}
	var result []*cnode
	for q.hasNonStale() {
		if g.budget > 0 && g.read > g.budget {
			return nil, errLongWalk
		}
		c := heap.Pop(q).(*cnode)
		flags := c.flags & (fParent1 | fParent2 | fStale)
		if flags == fParent1|fParent2 {
			if c.flags&fResult == 0 {
				c.flags |= fResult
				result = append(result, c)
			}
			flags |= fStale
		}
		for _, ph := range c.parents {
			p, err := g.node(ph)
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				g.missing = true
				continue
			}
			if err != nil {
				return nil, err
			}
			if p.flags&flags == flags {
				continue
			}
			p.flags |= flags
			heap.Push(q, p)
		}
	}
	return result, nil
}

// MergeBases returns the best common ancestors of a and b (all of them: criss-cross
// histories have several), sorted by id.
func (g *commitGraph) MergeBases(a, b plumbing.Hash) ([]plumbing.Hash, error) {
	if a == b {
		return []plumbing.Hash{a}, nil
	}
	na, err := g.node(a)
	if err != nil {
		return nil, err
	}
	nb, err := g.node(b)
	if err != nil {
		return nil, err
	}
	cands, err := g.paintDown(na, []*cnode{nb})
	if err != nil {
		return nil, err
	}
	var bases []*cnode
	for _, c := range cands {
		if c.flags&fStale == 0 {
			bases = append(bases, c)
		}
	}
	if len(bases) > 1 {
		bases, err = g.removeRedundant(bases)
		if err != nil {
			return nil, err
		}
	}
	out := make([]plumbing.Hash, len(bases))
	for i, c := range bases {
		out[i] = c.hash
	}
	slices.SortFunc(out, func(x, y plumbing.Hash) int { return bytes.Compare(x[:], y[:]) })
	return out, nil
}

// removeRedundant drops candidates reachable from another candidate (git's
// remove_redundant without generation numbers).
func (g *commitGraph) removeRedundant(cands []*cnode) ([]*cnode, error) {
	redundant := make([]bool, len(cands))
	for i := range cands {
		if redundant[i] {
			continue
		}
		var others []*cnode
		var idx []int
		for j := range cands {
			if j != i && !redundant[j] {
				others = append(others, cands[j])
				idx = append(idx, j)
			}
		}
		if len(others) == 0 {
			break
		}
		if _, err := g.paintDown(cands[i], others); err != nil {
			return nil, err
		}
		if cands[i].flags&fParent2 != 0 {
			redundant[i] = true
		}
		for k, o := range others {
			if o.flags&fParent1 != 0 {
				redundant[idx[k]] = true
			}
		}
	}
	var out []*cnode
	for i, c := range cands {
		if !redundant[i] {
			out = append(out, c)
		}
	}
	return out, nil
}

// mergeBases is cached by the commit pair. A walk over its budget gets kickoff's
// commit-graph written, then walks again over it (see prepareGraph).
func (e *Engine) mergeBases(ctx context.Context, a, b plumbing.Hash) ([]plumbing.Hash, error) {
	if bases, ok := e.knownBases(a, b); ok {
		return bases, nil
	}
	key := baseKey(a.String(), b.String())
	if bases, ok := e.basesPast(a, b); ok {
		e.Stats.BasesCarried++
		e.pendingBases[key] = hashStrings(bases)
		return bases, nil
	}
	var bases []plumbing.Hash
	var err error
	if e.gitBases {
		bases, err = e.gitMergeBases(a, b)
	} else {
		bases, err = e.graph.MergeBases(a, b)
		if errors.Is(err, errLongWalk) {
			e.writeGraphAfterAll(ctx)
			bases, err = e.graph.MergeBases(a, b)
		}
	}
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

// basesPast finds two commits' merge bases from those the last run found for where their
// refs were then (see lastTips), when each ref that moved only gained single-parent
// commits (a kickoff that moved by a commit or a few: the usual re-run). If a moved from
// A0 along single parents, a's ancestors are A0's plus those new commits, which are b's
// ancestors only if A0 is one; so when A0 is not an ancestor of b, a's common ancestors
// with b are A0's, and so are the merge bases. With both moved (A0, B0), the same holds
// twice when neither of A0 and B0 is an ancestor of the other. Whether one is an
// ancestor shows in the known merge bases (they are that commit alone); then, or when a
// merge lies between, the walk decides.
func (e *Engine) basesPast(a, b plumbing.Hash) ([]plumbing.Hash, bool) {
	fa, movedA := e.movedFrom[a]
	fb, movedB := e.movedFrom[b]
	if !movedA && !movedB {
		return nil, false
	}
	if !movedA {
		fa = a
	}
	if !movedB {
		fb = b
	}
	bases, ok := e.knownBases(fa, fb)
	if !ok || len(bases) == 1 && (movedA && bases[0] == fa || movedB && bases[0] == fb) {
		return nil, false
	}
	if movedA && !e.singleParentsTo(a, fa) || movedB && !e.singleParentsTo(b, fb) {
		return nil, false
	}
	return bases, true
}

// singleParentsTo says whether from is reached from to by first parents within fewNew
// commits, each of which (from excepted) has a single parent.
func (e *Engine) singleParentsTo(to, from plumbing.Hash) bool {
	for range fewNew {
		n, err := e.graph.node(to)
		if err != nil || len(n.parents) != 1 {
			return false
		}
		if to = n.parents[0]; to == from {
			return true
		}
	}
	return false
}

// knownBases are two commits' merge bases found earlier in this run or in the cache.
func (e *Engine) knownBases(x, y plumbing.Hash) ([]plumbing.Hash, bool) {
	key := baseKey(x.String(), y.String())
	if v, ok := e.pendingBases[key]; ok {
		ids, ok := v.([]string)
		return parseHashes(ids), ok
	}
	var ids []string
	if e.cache.get(bucketBases, key, &ids) {
		return parseHashes(ids), true
	}
	return nil, false
}

// baseKey is the cache key of two commits' merge bases, the same either way round.
func baseKey(x, y string) string {
	if y < x {
		x, y = y, x
	}
	return x + ":" + y
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
