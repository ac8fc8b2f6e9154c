package radar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// ChangeSet is what one side changed against one merge base: every path whose content,
// mode or type differs (both ends of a rename appear, as a delete and an add), and every
// folder of the base that no longer exists on the side (where a directory rename may
// have happened).
type ChangeSet struct {
	Paths       []string `json:"paths"`
	RemovedDirs []string `json:"removed_dirs,omitempty"`
}

// MarshalBinary is the cache's form of a change set, much faster to read than JSON (a
// re-run reads every other ref's changes): each path and a NUL, an empty entry, then each
// removed folder and a NUL. Git paths never hold NUL and are never empty.
func (cs *ChangeSet) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	for _, p := range cs.Paths {
		b.WriteString(p)
		b.WriteByte(0)
	}
	b.WriteByte(0)
	for _, d := range cs.RemovedDirs {
		b.WriteString(d)
		b.WriteByte(0)
	}
	return b.Bytes(), nil
}

// UnmarshalBinary reads what MarshalBinary wrote.
func (cs *ChangeSet) UnmarshalBinary(data []byte) error {
	parts := strings.Split(string(data), "\x00")
	sep := slices.Index(parts, "")
	// The paths' terminator and the last field's make two empty fields at least: data
	// read back from the cache is untrusted and may lack them.
	if sep < 0 || sep == len(parts)-1 || parts[len(parts)-1] != "" {
		return errors.New("malformed change set")
	}
	cs.Paths = parts[:sep:sep]
	if rest := parts[sep+1 : len(parts)-1]; len(rest) > 0 {
		cs.RemovedDirs = rest
	} else {
		cs.RemovedDirs = nil
	}
	return nil
}

// treeDiffer diffs trees in process. Decoded trees are kept by id, so the folders a
// base shares with every kickoff are read once for all of them; identical subtrees are
// skipped by id, so the cost follows the size of a change, not of the repository.
// Differs reading through their own storages (one per goroutine) share the decoded trees.
type treeDiffer struct {
	st    storage.Storer
	trees *treeCache
}

type treeCache struct {
	mu sync.RWMutex
	m  map[plumbing.Hash][]object.TreeEntry
}

func newTreeDiffer(st storage.Storer, trees *treeCache) *treeDiffer {
	if trees == nil {
		trees = &treeCache{m: map[plumbing.Hash][]object.TreeEntry{}}
	}
	return &treeDiffer{st: st, trees: trees}
}

func (d *treeDiffer) entries(h plumbing.Hash) ([]object.TreeEntry, error) {
	d.trees.mu.RLock()
	es, ok := d.trees.m[h]
	d.trees.mu.RUnlock()
	if ok {
		return es, nil
	}
	t, err := object.GetTree(d.st, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", gitrepo.ShortID(h.String()), err)
	}
	d.trees.mu.Lock()
	d.trees.m[h] = t.Entries
	d.trees.mu.Unlock()
	return t.Entries, nil
}

// computeChanges lists what side changed against base. Rename detection is not needed:
// a rename's two paths are both in the set either way (as a delete and an add).
func (d *treeDiffer) computeChanges(ctx context.Context, base, side plumbing.Hash) (*ChangeSet, error) {
	bc, err := readCommit(d.st, base)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", gitrepo.ShortID(base.String()), err)
	}
	sc, err := readCommit(d.st, side)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", gitrepo.ShortID(side.String()), err)
	}
	cs := &ChangeSet{Paths: []string{}}
	if err := d.diff(ctx, bc.tree, sc.tree, "", cs); err != nil {
		return nil, err
	}
	return cs, nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "/" + name
}

// diff walks two trees' entries in name order (sorted by name in both).
func (d *treeDiffer) diff(ctx context.Context, a, b plumbing.Hash, prefix string, cs *ChangeSet) error {
	if a == b {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ea, err := d.entries(a)
	if err != nil {
		return err
	}
	eb, err := d.entries(b)
	if err != nil {
		return err
	}
	bi := make(map[string]int, len(eb))
	for i, e := range eb {
		bi[e.Name] = i
	}
	seen := make(map[string]bool, len(ea))
	for _, x := range ea {
		seen[x.Name] = true
		p := join(prefix, x.Name)
		j, ok := bi[x.Name]
		if !ok {
			if err := d.gone(x, p, cs); err != nil {
				return err
			}
			continue
		}
		y := eb[j]
		if x.Hash == y.Hash && x.Mode == y.Mode {
			continue
		}
		xDir, yDir := x.Mode == filemode.Dir, y.Mode == filemode.Dir
		switch {
		case xDir && yDir:
			if err := d.diff(ctx, x.Hash, y.Hash, p, cs); err != nil {
				return err
			}
		case xDir: // folder became a file
			if err := d.gone(x, p, cs); err != nil {
				return err
			}
			cs.Paths = append(cs.Paths, p)
		case yDir: // file became a folder
			cs.Paths = append(cs.Paths, p)
			if err := d.all(y, p, cs); err != nil {
				return err
			}
		default:
			cs.Paths = append(cs.Paths, p)
		}
	}
	for _, y := range eb {
		if !seen[y.Name] {
			if err := d.all(y, join(prefix, y.Name), cs); err != nil {
				return err
			}
		}
	}
	return nil
}

// gone records an entry the side no longer has: a file, or a whole folder (its files,
// and the folder as removed: a directory rename may have moved it).
func (d *treeDiffer) gone(e object.TreeEntry, p string, cs *ChangeSet) error {
	if e.Mode == filemode.Dir {
		cs.RemovedDirs = append(cs.RemovedDirs, p)
	}
	return d.all(e, p, cs)
}

// all lists every file under an entry (the entry itself when it is not a folder).
func (d *treeDiffer) all(e object.TreeEntry, p string, cs *ChangeSet) error {
	if e.Mode != filemode.Dir {
		cs.Paths = append(cs.Paths, p)
		return nil
	}
	es, err := d.entries(e.Hash)
	if err != nil {
		return err
	}
	for _, c := range es {
		if err := d.all(c, join(p, c.Name), cs); err != nil {
			return err
		}
	}
	return nil
}

func objectTree(st storage.Storer, h plumbing.Hash) (*object.Tree, error) {
	t, err := object.GetTree(st, h)
	if err != nil {
		return nil, fmt.Errorf("read merged tree %s: %w", gitrepo.ShortID(h.String()), err)
	}
	return t, nil
}
