package radar

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
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
	hs := splitHunks(e.linesOf(old), e.linesOf(new))
	e.diffs[k] = hs
	return hs
}

// linesOf is a file's text split into lines (each with its newline), once per blob: the
// line proof and the diffs of many pairs meet the same versions (on go-git, one branch's
// options.go against sixteen others'), and splitting was most of the proof's time.
func (e *Engine) linesOf(f *fileVersion) []string {
	if ls, ok := e.lines[f.Hash]; ok {
		return ls
	}
	ls := splitLines(f.Text)
	e.lines[f.Hash] = ls
	return ls
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
		c, err := readCommit(e.st, commit)
		if err != nil {
			return object.TreeEntry{}, false, fmt.Errorf("read commit %s: %w", gitrepo.ShortID(commit.String()), err)
		}
		root = c.tree
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
