package radar

import (
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

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
