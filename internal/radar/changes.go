package radar

import (
	"context"
	"fmt"
	"path"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// ChangeSet is what one side changed against one merge base: every path whose content,
// mode or type differs (both ends of a rename appear, as a delete and an add), and every
// folder of the base that no longer exists on the side (where a directory rename may
// have happened).
type ChangeSet struct {
	Paths       []string `json:"paths"`
	RemovedDirs []string `json:"removed_dirs,omitempty"`
}

// computeChanges diffs base's tree against side's tree in process. Identical subtrees are
// skipped by hash, so the cost follows the size of the change, not of the repository.
// Rename detection is not needed: a rename's two paths are both in the set either way.
func computeChanges(ctx context.Context, st storage.Storer, base, side plumbing.Hash) (*ChangeSet, error) {
	bt, err := commitTree(st, base)
	if err != nil {
		return nil, err
	}
	st2, err := commitTree(st, side)
	if err != nil {
		return nil, err
	}
	changes, err := object.DiffTreeWithOptions(ctx, bt, st2, nil)
	if err != nil {
		return nil, fmt.Errorf("diff %s..%s: %w", short(base.String()), short(side.String()), err)
	}
	cs := &ChangeSet{}
	dirGone := map[string]bool{}
	for _, c := range changes {
		from, to := c.From.Name, c.To.Name
		if from != "" {
			cs.Paths = append(cs.Paths, from)
		}
		if to != "" && to != from {
			cs.Paths = append(cs.Paths, to)
		}
		if from != "" && to == "" {
			// A deleted path: which of its folders vanished on this side?
			for d := path.Dir(from); d != "." && d != "/"; d = path.Dir(d) {
				gone, seen := dirGone[d]
				if !seen {
					_, terr := st2.Tree(d)
					gone = terr != nil
					dirGone[d] = gone
				}
				if !gone {
					break // a parent of an existing folder exists too
				}
			}
		}
	}
	for d, gone := range dirGone {
		if gone {
			cs.RemovedDirs = append(cs.RemovedDirs, d)
		}
	}
	return cs, nil
}

func commitTree(st storage.Storer, h plumbing.Hash) (*object.Tree, error) {
	c, err := object.GetCommit(st, h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(h.String()), err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", short(h.String()), err)
	}
	return t, nil
}

// sideIndex is one side's changes against all merge bases of a pair, merged.
type sideIndex struct {
	paths   map[string]bool
	removed map[string]bool
}

func newSideIndex(sets []*ChangeSet) *sideIndex {
	s := &sideIndex{paths: map[string]bool{}, removed: map[string]bool{}}
	for _, cs := range sets {
		for _, p := range cs.Paths {
			s.paths[p] = true
		}
		for _, d := range cs.RemovedDirs {
			s.removed[d] = true
		}
	}
	return s
}

// mayInteract reports whether a merge of the two sides could do anything but take each
// side's changes as they are. It is conservative: false means the merge is clean.
//   - a path changed on both sides (content, mode, delete, either end of a rename);
//   - a path on one side is a folder of a path on the other (file/directory);
//   - a path on one side lies in a folder the other side removed (a directory rename
//     would move it).
//
// With several merge bases the sets are unions over all bases: where the bases differ
// from each other, each side differs from at least one of them, so the path is shared.
func mayInteract(a, b *sideIndex) (bool, string) {
	small, large := a, b
	if len(b.paths) < len(a.paths) {
		small, large = b, a
	}
	for p := range small.paths {
		if large.paths[p] {
			return true, "both change " + p
		}
	}
	if why := prefixClash(a, b); why != "" {
		return true, why
	}
	if why := prefixClash(b, a); why != "" {
		return true, why
	}
	return false, ""
}

// prefixClash looks for a folder of one of x's paths that y changed as a path or removed.
func prefixClash(x, y *sideIndex) string {
	checked := map[string]bool{}
	for p := range x.paths {
		for d := path.Dir(p); d != "." && d != "/" && !checked[d]; d = path.Dir(d) {
			checked[d] = true
			if y.paths[d] {
				return fmt.Sprintf("%s is a file on one side and a folder on the other", d)
			}
			if y.removed[d] {
				return fmt.Sprintf("%s/ was removed on one side (a directory rename?) and %s changed on the other", d, p)
			}
		}
	}
	return ""
}

func objectTree(st storage.Storer, h plumbing.Hash) (*object.Tree, error) {
	t, err := object.GetTree(st, h)
	if err != nil {
		return nil, fmt.Errorf("read merged tree %s: %w", short(h.String()), err)
	}
	return t, nil
}
