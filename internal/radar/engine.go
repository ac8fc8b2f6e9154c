package radar

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"

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
	Main     string // the trunk: read from the remote whenever it has it (see TeamRefs)
	// WalkBudget is how many commit objects a run with many pairs reads for merge bases
	// before it has git write kickoff's commit-graph (0: walkBudget).
	WalkBudget int
	// Progress, when set, hears how many pairs are done.
	Progress func(done, total int)
}

// Engine compares refs of one repository. Not safe for concurrent Compare calls.
type Engine struct {
	repo  *gitrepo.Repo
	st    storage.Storer
	graph *commitGraph
	cg    *graphState // the commit-graph file the walk reads (nil: none)
	// graphLoaded: cg was looked for (loadGraph), so nil means there is none.
	graphLoaded bool
	cache       *cache
	// gitBases: this run finds merge bases with git merge-base (see prepareGraph).
	gitBases bool
	// graphTips: the commits kickoff's graph must reach, if the run writes it.
	graphTips []plumbing.Hash
	opts      Options
	Git       GitVersion

	// Stats counts how the last Compare decided its pairs.
	Stats Stats

	mu           sync.Mutex // guards go-git reads once workers run
	files        map[fileKey]*fileVersion
	blobs        map[plumbing.Hash]*fileVersion // read blobs by id (see fileAt)
	diffs        map[[2]plumbing.Hash][]hunk    // line diffs by blob ids (see hunks)
	lines        map[plumbing.Hash][]string     // blobs split into lines (see linesOf)
	sets         map[[2]plumbing.Hash]*ChangeSet
	pendingSets  [][2]plumbing.Hash
	pendingBases map[string]any
	pendingMeta  map[string]any
	differ       *treeDiffer
	roots        map[plumbing.Hash]plumbing.Hash // commit -> root tree
	sides        map[string]*sideIndex
	setIdx       map[*ChangeSet]*setIndex
	known        map[plumbing.Hash]bool                  // refs' commits and merge bases of this run
	movedFrom    map[plumbing.Hash]plumbing.Hash         // a ref's commit -> where it was at the last run (see lastTips)
	spans        map[[2]plumbing.Hash][][2]plumbing.Hash // see intervals
	attrs        map[string]bool                         // work-tree attributes files: do they affect merges?
	plainOnce    sync.Once                               // see plainMerges
	plain        bool
	mergeConfig  <-chan bool // see askMergeConfig
	// gitAsked is `git version` running for a run with no cache of it (see gitChecked).
	gitAsked <-chan gitVersionAnswer
	gitKey   string
}

// Stats says how pairs were decided: read from the cache, carried over from the last
// run's verdict, cleared by the prefilter, proven clean line by line (disjoint), or
// merged by git merge-tree; and how many tree diffs the run computed.
type Stats struct {
	Cached, Carried, Prefiltered, Disjoint, Merged int
	Diffed                                         int
	// BasesCarried counts merge bases taken from an older commit's (see basesPast).
	BasesCarried int
	// Early counts the merges started before the in-process phases (see speculate).
	Early int
}

// Open finds the git binary and opens the cache. git's version comes from the cache, else
// from `git version`, which runs while the first Compare reads refs, merge bases and
// changes, and is checked before its merges (see gitChecked).
func Open(ctx context.Context, repo *gitrepo.Repo, opts Options) (*Engine, error) {
	key, err := gitVersionKey()
	if err != nil {
		return nil, err
	}
	var asked <-chan gitVersionAnswer
	if _, err := os.Lstat(filepath.Join(opts.CacheDir, CacheFile)); opts.CacheDir == "" || errors.Is(err, fs.ErrNotExist) {
		asked = askGitVersion(ctx) // no cache to ask: git answers while it is created
	}
	var c *cache
	if opts.CacheDir != "" {
		if c, err = openCache(opts.CacheDir); err != nil {
			slog.Warn("running without the radar cache", "err", err)
			c = nil
		}
	}
	var v GitVersion
	var known string
	if c.get(bucketMeta, key, &known) {
		if v, _, err = checkGit(ctx, c, key, nil); err != nil {
			c.Close()
			return nil, err
		}
	} else if asked == nil {
		asked = askGitVersion(ctx)
	}
	if opts.Workers <= 0 {
		// git merge-tree processes wait on the disk as much as on a CPU.
		opts.Workers = 2 * runtime.NumCPU()
	}
	if opts.Remote == "" {
		opts.Remote = "origin"
	}
	st := openStorage(repo.CommonDir)
	// Reverse indexes kickoff kept before it read packs itself: nothing reads them now.
	os.RemoveAll(filepath.Join(repo.CommonDir, "kickoff", "packs")) // one lstat when gone
	e := &Engine{
		repo: repo, st: st, graph: newCommitGraph(st), opts: opts, Git: v,
		files: map[fileKey]*fileVersion{}, blobs: map[plumbing.Hash]*fileVersion{},
		diffs: map[[2]plumbing.Hash][]hunk{}, lines: map[plumbing.Hash][]string{}, sets: map[[2]plumbing.Hash]*ChangeSet{},
		pendingBases: map[string]any{}, pendingMeta: map[string]any{}, differ: newTreeDiffer(st, nil),
		roots: map[plumbing.Hash]plumbing.Hash{}, sides: map[string]*sideIndex{}, setIdx: map[*ChangeSet]*setIndex{},
		known: map[plumbing.Hash]bool{}, spans: map[[2]plumbing.Hash][][2]plumbing.Hash{},
		attrs: map[string]bool{},
	}
	e.cache = c
	if c != nil {
		e.graph.fresh = map[plumbing.Hash]nodeValue{}
		e.graph.known = func(h plumbing.Hash) (v nodeValue, ok bool) {
			return v, c.get(bucketCommits, h.String(), &v)
		}
	}
	if known == "" {
		e.gitKey, e.gitAsked = key, asked
	}
	return e, nil
}

// gitChecked takes the answer of `git version` when Open had to ask (a first run: git
// answers while the run reads refs, merge bases and changes) and refuses a git too old for
// the merges; the answer is stored with the run's results (see storeRun).
func (e *Engine) gitChecked(ctx context.Context) error {
	if e.gitAsked == nil {
		return nil
	}
	v, fresh, err := checkGit(ctx, nil, e.gitKey, e.gitAsked)
	if err != nil {
		return err
	}
	e.Git, e.gitAsked = v, nil
	e.pendingMeta[e.gitKey] = fresh
	return nil
}

// Close releases the cache, the open pack files and everything the engine read (its
// trees, blobs and diffs: tens of MB on a large repository). Stats stay readable.
func (e *Engine) Close() error {
	if c, ok := e.st.(interface{ Close() error }); ok {
		c.Close()
	}
	e.cg.Close()
	err := e.cache.Close()
	*e = Engine{Stats: e.Stats, Git: e.Git}
	return err
}
