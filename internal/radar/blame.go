package radar

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// MaxTextBytes is the largest file the radar diffs in process (for line ranges,
// overlaps and attribution). Larger files and binary files are still merged by git and
// their conflicts reported, without line ranges.
const MaxTextBytes = 8 << 20

// maxBlameSteps bounds the history walked to attribute one range.
const maxBlameSteps = 400

// fileVersion is a path's content in one commit.
type fileVersion struct {
	Exists bool
	Hash   plumbing.Hash
	Mode   filemode.FileMode
	Text   string
	Skip   bool // binary, huge or not a regular file: no line work
}

type fileKey struct {
	commit plumbing.Hash
	path   string
}

// fileAt reads path in commit (memoised).
func (e *Engine) fileAt(commit plumbing.Hash, path string) (*fileVersion, error) {
	k := fileKey{commit, path}
	if f, ok := e.files[k]; ok {
		return f, nil
	}
	ent, found, err := e.lookup(commit, path)
	if err != nil {
		return nil, err
	}
	f := &fileVersion{}
	switch {
	case !found:
	case !ent.Mode.IsFile():
		f.Exists, f.Hash, f.Mode, f.Skip = true, ent.Hash, ent.Mode, true
	default:
		b, err := e.blob(ent.Hash)
		if err != nil {
			return nil, err
		}
		f.Exists, f.Hash, f.Mode, f.Text, f.Skip = true, ent.Hash, ent.Mode, b.Text, b.Skip
	}
	e.files[k] = f
	return f, nil
}

// blob reads a blob's text once per run: a file keeps its content across most commits
// a walk visits, and attributes files are asked about for every path below them.
func (e *Engine) blob(h plumbing.Hash) (*fileVersion, error) {
	if b, ok := e.blobs[h]; ok {
		return b, nil
	}
	b := &fileVersion{Exists: true, Hash: h}
	if err := e.readBlob(b); err != nil {
		return nil, err
	}
	e.blobs[h] = b
	return b, nil
}

// hunks diffs two versions of a file line by line, once per pair of blobs: walks over
// many pairs and overlaps keep meeting the same versions.
func (e *Engine) hunks(old, new *fileVersion) []hunk {
	k := [2]plumbing.Hash{old.Hash, new.Hash}
	if hs, ok := e.diffs[k]; ok {
		return hs
	}
	hs := lineHunks(old.Text, new.Text)
	e.diffs[k] = hs
	return hs
}

// filesAt reads path in each commit.
func (e *Engine) filesAt(path string, commits ...plumbing.Hash) ([]*fileVersion, error) {
	out := make([]*fileVersion, len(commits))
	for i, c := range commits {
		f, err := e.fileAt(c, path)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// lookup finds path's entry in commit through the cache of decoded trees.
func (e *Engine) lookup(commit plumbing.Hash, path string) (object.TreeEntry, bool, error) {
	root, ok := e.roots[commit]
	if !ok {
		c, err := object.GetCommit(e.st, commit)
		if err != nil {
			return object.TreeEntry{}, false, fmt.Errorf("read commit %s: %w", short(commit.String()), err)
		}
		root = c.TreeHash
		e.roots[commit] = root
	}
	cur := object.TreeEntry{Hash: root, Mode: filemode.Dir}
	for _, name := range strings.Split(path, "/") {
		if cur.Mode != filemode.Dir {
			return object.TreeEntry{}, false, nil
		}
		es, err := e.differ.entries(cur.Hash)
		if err != nil {
			return object.TreeEntry{}, false, err
		}
		i := slices.IndexFunc(es, func(x object.TreeEntry) bool { return x.Name == name })
		if i < 0 {
			return object.TreeEntry{}, false, nil
		}
		cur = es[i]
	}
	return cur, true, nil
}

func (e *Engine) readBlob(f *fileVersion) error {
	b, err := object.GetBlob(e.st, f.Hash)
	if err != nil {
		return err
	}
	if b.Size > MaxTextBytes {
		f.Skip = true
		return nil
	}
	r, err := b.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if binaryish(data) {
		f.Skip = true
		return nil
	}
	f.Text = string(data)
	return nil
}

// touchers walks the side's history back towards the merge bases and names the commits
// that changed the given lines of path (1-based ranges in the side's version), or any
// part of path when ranges is nil. Like blame, it follows a line through the commits
// that moved it, passes through merges that took a parent's version unchanged, and stops
// where the file equals a merge base's version.
func (e *Engine) touchers(side plumbing.Hash, bases []plumbing.Hash, path string, ranges []Range) []Touch {
	baseBlobs := map[plumbing.Hash]bool{}
	isBase := map[plumbing.Hash]bool{}
	for _, b := range bases {
		isBase[b] = true
		if f, err := e.fileAt(b, path); err == nil && f.Exists {
			baseBlobs[f.Hash] = true
		}
	}
	type item struct {
		commit plumbing.Hash
		lines  map[int]bool // 1-based lines of interest; nil = whole file
	}
	var start map[int]bool
	if ranges != nil {
		start = map[int]bool{}
		for _, r := range ranges {
			for l := r[0]; l <= r[1]; l++ {
				start[l] = true
			}
		}
	}
	out := []Touch{}
	seenTouch := map[plumbing.Hash]bool{}
	visited := map[plumbing.Hash]bool{}
	queue := []item{{side, start}}
	for steps := 0; len(queue) > 0 && steps < maxBlameSteps; steps++ {
		it := queue[0]
		queue = queue[1:]
		if visited[it.commit] || isBase[it.commit] || (it.lines != nil && len(it.lines) == 0) {
			continue
		}
		visited[it.commit] = true
		cur, err := e.fileAt(it.commit, path)
		if err != nil {
			continue
		}
		if cur.Exists && baseBlobs[cur.Hash] {
			continue // from here back, the file is the merge base's
		}
		n, err := e.graph.node(it.commit)
		if err != nil {
			continue
		}
		var parents []*fileVersion
		unchanged := -1
		for i, ph := range n.parents {
			pf, err := e.fileAt(ph, path)
			if err != nil {
				pf = &fileVersion{}
			}
			parents = append(parents, pf)
			if unchanged < 0 && same(pf, cur) {
				unchanged = i
			}
		}
		if unchanged >= 0 { // this commit did not change the file: follow that parent alone
			queue = append(queue, item{n.parents[unchanged], it.lines})
			continue
		}
		if len(n.parents) == 0 || !cur.Exists || it.lines == nil || cur.Skip {
			// Root commit, deletion, whole-file question or no line view: the commit touched it.
			e.addTouch(&out, seenTouch, it.commit)
			for _, ph := range n.parents {
				queue = append(queue, item{ph, nil})
			}
			continue
		}
		// Which lines of interest does each parent already have?
		changedEverywhere := map[int]bool{}
		for l := range it.lines {
			changedEverywhere[l] = true
		}
		touched := false
		for i, pf := range parents {
			if !pf.Exists || pf.Skip {
				continue
			}
			hs := e.hunks(pf, cur)
			m := lineMap(hs, countLines(cur.Text))
			next := map[int]bool{}
			for l := range it.lines {
				if l-1 < len(m) && m[l-1] >= 0 {
					delete(changedEverywhere, l)
					next[m[l-1]+1] = true
				}
			}
			// A deletion right next to a line of interest touched it too.
			if len(n.parents) == 1 {
				for _, h := range hs {
					if h.NewStart == h.NewEnd && (it.lines[h.NewStart] || it.lines[h.NewStart+1]) {
						touched = true
					}
				}
			}
			queue = append(queue, item{n.parents[i], next})
		}
		if touched || len(changedEverywhere) > 0 {
			e.addTouch(&out, seenTouch, it.commit)
		}
	}
	return out
}

func (e *Engine) addTouch(out *[]Touch, seen map[plumbing.Hash]bool, h plumbing.Hash) {
	if seen[h] {
		return
	}
	seen[h] = true
	c, err := object.GetCommit(e.st, h)
	if err != nil {
		return
	}
	summary, _, _ := strings.Cut(strings.TrimSpace(c.Message), "\n")
	jira := kickoff.JiraKeys(c.Message)
	if jira == nil {
		jira = []string{}
	}
	*out = append(*out, Touch{
		Commit:  h.String(),
		Author:  c.Author.Name,
		Email:   c.Author.Email,
		Summary: summary,
		Jira:    jira,
	})
}
