package radar

import (
	"context"
	"log/slog"
	"path"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// The prefilter clears a pair without merging when the paths its sides changed cannot
// interact (see mayInteract): each side is the union of its change sets against every
// merge base, indexed once per run.

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

// setIndex is one change set's paths, every folder above them, and its removed folders.
type setIndex struct {
	paths, dirs, removed map[string]bool
}

func newSetIndex(cs *ChangeSet) *setIndex {
	x := &setIndex{paths: make(map[string]bool, len(cs.Paths)), dirs: map[string]bool{}, removed: map[string]bool{}}
	for _, p := range cs.Paths {
		x.paths[p] = true
		for d := path.Dir(p); d != "." && d != "/" && !x.dirs[d]; d = path.Dir(d) {
			x.dirs[d] = true
		}
	}
	for _, d := range cs.RemovedDirs {
		x.removed[d] = true
	}
	return x
}

// sideIndex is one side's changes against all merge bases of a pair: the union of its
// change sets, each indexed once per run (the sides of kickoffs forked along main share
// main's stretches between them), so a pair is checked in time linear in the smaller side.
type sideIndex struct {
	sets        []*setIndex
	paths, dirs int // entries in all sets, counted again where sets share one
}

func newSideIndex(sets []*setIndex) *sideIndex {
	s := &sideIndex{sets: sets}
	for _, x := range sets {
		s.paths += len(x.paths)
		s.dirs += len(x.dirs)
	}
	return s
}

func (s *sideIndex) has(p string) bool    { return s.any(func(x *setIndex) bool { return x.paths[p] }) }
func (s *sideIndex) hasDir(d string) bool { return s.any(func(x *setIndex) bool { return x.dirs[d] }) }

func (s *sideIndex) any(f func(*setIndex) bool) bool {
	for _, x := range s.sets {
		if f(x) {
			return true
		}
	}
	return false
}

// find returns a key of one of the side's maps (chosen by which) for which ok holds.
func (s *sideIndex) find(which func(*setIndex) map[string]bool, ok func(string) bool) (string, bool) {
	for _, x := range s.sets {
		for k := range which(x) {
			if ok(k) {
				return k, true
			}
		}
	}
	return "", false
}

func pathsOf(x *setIndex) map[string]bool   { return x.paths }
func dirsOf(x *setIndex) map[string]bool    { return x.dirs }
func removedOf(x *setIndex) map[string]bool { return x.removed }

// shared lists the paths both sides changed, sorted.
func shared(a, b *sideIndex) []string {
	if b.paths < a.paths {
		a, b = b, a
	}
	seen := map[string]bool{}
	out := []string{}
	for _, x := range a.sets {
		for p := range x.paths {
			if !seen[p] && b.has(p) {
				out = append(out, p)
			}
			seen[p] = true
		}
	}
	sort.Strings(out)
	return out
}

// mayInteract reports whether a merge of the two sides could do anything but take each
// side's changes as they are. It is conservative: false means the merge is clean.
//   - a path changed on both sides (content, mode, delete, either end of a rename);
//   - a path on one side is a folder of a path on the other (file/directory);
//   - a path on one side lies in a folder the other side removed (a directory rename
//     would move it there).
//
// With several merge bases the sets are unions over all bases: where the bases differ
// from each other, each side differs from at least one of them, so the path is shared.
func mayInteract(a, b *sideIndex) (bool, string) {
	small, large := a, b
	if large.paths < small.paths {
		small, large = large, small
	}
	if p, ok := small.find(pathsOf, large.has); ok {
		return true, "both change " + p
	}
	if why := folderClash(a, b); why != "" {
		return true, why
	}
	return false, ""
}

// folderClash is mayInteract without the shared paths: why a file on one side is a
// folder on the other, or one side changes inside a folder the other removed; "" if not.
func folderClash(a, b *sideIndex) string {
	for _, s := range [2][2]*sideIndex{{a, b}, {b, a}} {
		// A folder of one side that is a path of the other, walking the smaller.
		d, ok := "", false
		if s[0].dirs < s[1].paths {
			d, ok = s[0].find(dirsOf, s[1].has)
		} else {
			d, ok = s[1].find(pathsOf, s[0].hasDir)
		}
		if ok {
			return d + " is a file on one side and a folder on the other"
		}
		if d, ok := s[1].find(removedOf, s[0].hasDir); ok {
			return d + "/ was removed on one side (a directory rename?) and changed in on the other"
		}
	}
	return ""
}
