package radar

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	commitgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// A commit-graph (git's own file of every commit's parents, committer date and
// generation) spares the merge-base walk from inflating and parsing each commit object:
// on git.git a walk of a few thousand commits falls from about half a second to a few
// milliseconds, and git merge-tree, which finds merge bases too, runs three times faster.
//
// The radar reads the repository's own commit-graph when it has one. When it has none,
// the radar keeps one of its own in .git/kickoff/objects/info/commit-graphs, written by
// git itself (`git commit-graph write --split`: each refresh adds a layer holding only the
// commits not yet in the file) and handed to git merge-tree as an alternate object folder,
// which is where git looks for graphs besides its own. kickoff's graph is checked against
// its checksums whenever it is opened: a damaged one is deleted with a warning and written
// again, never read. The repository's own graph is git's, which git trusts as well.
//
// Only parents and committer dates come from the graph; the walk ignores generation
// numbers, so the merge bases are those of a walk over the objects (and of
// `git merge-base --all`) whatever the graph holds.

// graphDir is where kickoff keeps its commit-graph: an object folder with no objects.
func graphDir(commonDir string) string { return filepath.Join(commonDir, "kickoff", "objects") }

// smallRun is how many pairs needing merge bases a run may have and still find them
// with `git merge-base --all` rather than write a commit-graph first (see bases): the
// first graph of a long history costs a second or so, a pair's git merge-base a tenth.
const smallRun = 4

// walkBudget is how many commit objects a run with many pairs and no commit-graph reads
// for its merge bases before it has git write kickoff's graph (see prepareGraph). A young
// history's live branches meet within a few hundred commits (cli/cli's 20: 246 for all
// 190 pairs), where the walk costs less than git's graph; a long one's reach back
// thousands (git.git's: 17,000), and there every git merge-tree of the run walks them too
// unless the graph is there: git.git's first run took three times the CPU without it.
const walkBudget = 2000

// fewNew is how many commits past kickoff's own graph a run reads from their objects
// rather than have git write a new layer first: a kickoff that moved by a commit or a
// few (the usual re-run) costs a few object reads, where a layer costs a git process.
const fewNew = 64

// maxGraphLayer bounds the size of a graph file the radar reads (a commit takes about
// 72 bytes: this is some 25 million commits).
const maxGraphLayer = 1 << 31

// graphState is the commit-graph an engine reads, and how git must be run to see it.
type graphState struct {
	index commitgraph.Index
	own   bool   // kickoff's graph, not the repository's
	dir   string // kickoff's object folder (own graphs only)
}

// openRepoGraph opens the repository's own commit-graph, or nil.
func openRepoGraph(commonDir string) *graphState {
	info := filepath.Join(commonDir, "objects", "info")
	if data, err := readRegular(filepath.Join(info, "commit-graph"), maxGraphLayer); err == nil {
		idx, err := commitgraph.OpenFileIndex(memFile{bytes.NewReader(data)})
		if err != nil {
			return nil
		}
		return &graphState{index: idx}
	}
	idx, err := openChain(filepath.Join(info, "commit-graphs"), false)
	if err != nil {
		return nil
	}
	return &graphState{index: idx}
}

// memFile is a graph file read into memory: go-git's reader makes a read per step of
// its binary searches, a system call each on a file.
type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }

// openChain opens the layers a chain file names, oldest first, checking each against its
// checksum when check is set.
func openChain(layers string, check bool) (commitgraph.Index, error) {
	chain := filepath.Join(layers, "commit-graph-chain")
	names, err := readChain(chain)
	if err != nil {
		return nil, &graphFileError{chain, err}
	}
	var idx commitgraph.Index
	for _, n := range names {
		p := filepath.Join(layers, "graph-"+n+".graph")
		data, err := readRegular(p, maxGraphLayer)
		if err == nil && check {
			err = checkLayer(data, n)
		}
		if err == nil {
			idx, err = commitgraph.OpenFileIndexWithParent(memFile{bytes.NewReader(data)}, idx)
		}
		if err != nil {
			return nil, &graphFileError{p, err}
		}
	}
	return idx, nil
}

// graphFileError names the graph file at fault.
type graphFileError struct {
	file string
	err  error
}

func (e *graphFileError) Error() string { return e.file + ": " + e.err.Error() }
func (e *graphFileError) Unwrap() error { return e.err }

// openOwnGraph opens kickoff's commit-graph after checking it: the chain names layers
// by their checksum, and each layer ends with the SHA-1 of what precedes it. A graph
// that fails is deleted with a warning naming the file (the next refresh writes it again).
func openOwnGraph(commonDir string) *graphState {
	dir := graphDir(commonDir)
	layers := filepath.Join(dir, "info", "commit-graphs")
	if _, err := os.Lstat(filepath.Join(layers, "commit-graph-chain")); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	idx, err := openChain(layers, true)
	if err != nil {
		file := layers
		var fe *graphFileError
		if errors.As(err, &fe) {
			file, err = fe.file, fe.err
		}
		slog.Warn("kickoff's commit-graph is damaged: deleting it, the next run writes it again", "file", file, "err", err)
		if rerr := os.RemoveAll(layers); rerr != nil {
			slog.Warn("could not delete the damaged commit-graph", "dir", layers, "err", rerr)
		}
		return nil
	}
	return &graphState{index: idx, own: true, dir: dir}
}

// readChain reads a chain file: one layer checksum a line, oldest first.
func readChain(p string) ([]string, error) {
	data, err := readRegular(p, 1<<20)
	if err != nil {
		return nil, err
	}
	var names []string
	for i, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !plumbing.IsHash(l) || strings.ToLower(l) != l {
			return nil, fmt.Errorf("line %d is not a layer checksum", i+1)
		}
		names = append(names, l)
	}
	return names, nil
}

// checkLayer checks that a layer ends with the SHA-1 of what precedes it, which is also
// the name the chain gives it.
func checkLayer(data []byte, name string) error {
	if len(data) < 8+sha1.Size {
		return errors.New("too short for a commit-graph")
	}
	sum := sha1.Sum(data[:len(data)-sha1.Size])
	if !bytes.Equal(sum[:], data[len(data)-sha1.Size:]) {
		return errors.New("checksum mismatch")
	}
	if hex.EncodeToString(sum[:]) != name {
		return errors.New("the chain names another checksum")
	}
	return nil
}

// readRegular reads p when it is a regular file of at most max bytes, not a symlink:
// kickoff's own files are never links, and one would point its reads elsewhere.
func readRegular(p string, max int64) ([]byte, error) {
	st, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%d bytes, more than the %d expected", st.Size(), max)
	}
	return os.ReadFile(p)
}

// gitEnv is what git processes need to see kickoff's graph: its folder as an alternate.
func (g *graphState) gitEnv() []string {
	if g == nil || !g.own {
		return nil
	}
	alt := g.dir
	if prev := os.Getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"); prev != "" {
		alt = prev + string(os.PathListSeparator) + alt
	}
	return []string{"GIT_ALTERNATE_OBJECT_DIRECTORIES=" + alt}
}

// covers says whether every commit is in the graph.
func (g *graphState) covers(hs []plumbing.Hash) bool {
	if g == nil {
		return false
	}
	for _, h := range hs {
		if _, err := g.index.GetIndexByHash(h); err != nil {
			return false
		}
	}
	return true
}

func (g *graphState) Close() {
	if g != nil {
		g.index.Close()
	}
}

// writeOwnGraph adds the commits reachable from tips to kickoff's graph (git writes only
// those not in it yet) and reopens it.
func writeOwnGraph(ctx context.Context, repo *gitrepo.Repo, tips []plumbing.Hash) (*graphState, error) {
	dir := graphDir(repo.CommonDir)
	if err := os.MkdirAll(filepath.Join(dir, "info"), 0o755); err != nil {
		return nil, err
	}
	var in strings.Builder
	for _, h := range tips {
		in.WriteString(h.String() + "\n")
	}
	cmd := gitrepo.Command(ctx, repo.Root, "commit-graph", "write", "--split", "--stdin-commits", "--no-progress", "--object-dir", dir)
	cmd.Env = append(os.Environ(), (&graphState{own: true, dir: dir}).gitEnv()...)
	cmd.Stdin = strings.NewReader(in.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("git commit-graph write: %v: %s", err, strings.TrimSpace(string(out)))
	}
	g := openOwnGraph(repo.CommonDir)
	if g == nil {
		return nil, errors.New("the commit-graph git wrote cannot be read")
	}
	return g, nil
}

// setGraph makes the walk read g.
func (e *Engine) setGraph(g *graphState) {
	if g == nil {
		return
	}
	e.cg.Close()
	e.cg, e.graph.index = g, g.index
}

// prepareGraph decides, before a run looks for merge bases, where it finds them. With a
// commit-graph holding every ref's commit, the walk reads it. kickoff's own graph is
// refreshed when refs moved past it by more than a few commits (git writes a layer of the
// new commits). Without any graph, a run with a few pairs (a pull request's check) asks
// git merge-base, which walks the commit objects faster than go-git can; a run with many
// walks the commit objects itself within a budget, and only a walk that passes it (a long
// history, bases far back) has git write kickoff's graph first (writeGraphAfterAll): on a
// young history the walk costs less than the graph.
func (e *Engine) prepareGraph(ctx context.Context, c *comparison, fresh []int) {
	e.gitBases = false
	if e.graph.isShallow() || len(fresh) == 0 {
		return
	}
	e.loadGraph()
	var tips []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	needBases := 0
	for _, i := range fresh {
		ra, rb := c.refs[c.pairs[i][0]], c.refs[c.pairs[i][1]]
		if !e.basesCached(ra.Commit, rb.Commit) {
			needBases++
		}
		for _, id := range []string{ra.Commit, rb.Commit} {
			if h := plumbing.NewHash(id); !seen[h] {
				seen[h] = true
				tips = append(tips, h)
			}
		}
	}
	if needBases == 0 || e.cg.covers(tips) || e.cg != nil && !e.cg.own {
		return // a repository's own graph lacking new commits: the walk reads those objects
	}
	if e.cg != nil && e.graph.fewPast(tips, fewNew) {
		return // kickoff's graph a few commits behind: reading those beats writing a layer
	}
	e.graphTips = tips
	if e.cg == nil {
		if needBases <= smallRun {
			e.gitBases = true
		} else {
			e.graph.budget = e.graph.read + cmp.Or(e.opts.WalkBudget, walkBudget)
		}
		return
	}
	e.writeGraphAfterAll(ctx)
}

// writeGraphAfterAll has git add the commits reachable from the run's refs to kickoff's
// graph and makes the walk read it; the walk starts afresh. When git cannot, the walk
// goes on over the commit objects, without a budget.
func (e *Engine) writeGraphAfterAll(ctx context.Context) {
	e.graph.budget = 0
	start := time.Now()
	g, err := writeOwnGraph(ctx, e.repo, e.graphTips)
	if err != nil {
		slog.Warn("could not write kickoff's commit-graph; merge bases come from the commit objects", "err", err)
		e.graph.clearFlags()
		return
	}
	e.setGraph(g)
	e.graph.nodes = map[plumbing.Hash]*cnode{}
	slog.Debug("commit-graph written", "dir", g.dir, "took", time.Since(start))
}

// loadGraph opens the repository's commit-graph, else kickoff's own, once per engine and
// only for a run with pairs to decide: checking a graph reads and hashes every layer, which
// a run the cache answers whole has no use for. git keeps no graph for a shallow clone.
func (e *Engine) loadGraph() {
	if e.graphLoaded {
		return
	}
	e.graphLoaded = true
	e.setGraph(openRepoGraph(e.repo.CommonDir))
	if e.cg == nil {
		e.setGraph(openOwnGraph(e.repo.CommonDir))
	}
}

// basesCached says whether the cache holds the merge bases of two commits.
func (e *Engine) basesCached(a, b string) bool {
	var ids []string
	return e.cache.get(bucketBases, baseKey(a, b), &ids)
}

// gitMergeBases asks `git merge-base --all` (a commit's parents and dates come from its
// object there too, but git reads them several times faster than go-git).
func (e *Engine) gitMergeBases(a, b plumbing.Hash) ([]plumbing.Hash, error) {
	cmd := gitrepo.Command(context.Background(), e.repo.Root, "merge-base", "--all", a.String(), b.String())
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 && errb.Len() == 0 {
		return nil, nil // no common commit
	}
	if err != nil {
		return nil, fmt.Errorf("git merge-base %s %s: %v: %s", gitrepo.ShortID(a.String()), gitrepo.ShortID(b.String()), err, strings.TrimSpace(errb.String()))
	}
	var bases []plumbing.Hash
	for _, f := range strings.Fields(string(out)) {
		if !plumbing.IsHash(f) {
			return nil, fmt.Errorf("git merge-base printed %q, not a commit id", truncate(f, 60))
		}
		bases = append(bases, plumbing.NewHash(f))
	}
	slices.SortFunc(bases, func(x, y plumbing.Hash) int { return bytes.Compare(x[:], y[:]) })
	return bases, nil
}
