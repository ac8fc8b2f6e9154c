package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Refs answers, for the names a command looks up, what the repository's refs were when
// it asked: a loose ref file, else packed-refs (read once), as git reads them. A command
// that looks up many names (the radar resolving twenty branches tries each as
// refs/<name>, a tag, a branch and a remote branch) asks this instead of Ref, which reads
// the whole packed-refs file for every name it does not find loose. Loose refs are read
// when asked, from folders listed once each: a team's clone gathers a thousand loose refs
// between two `git gc`s (every branch fetched since), and listing them all through
// go-git, twice per radar run, took 90 of a cold pair's 146 ms there. Only names found in
// those listings are opened, so a name given on the command line never becomes a path
// outside refs/. Files git would not take for refs (names ending in .lock, contents that
// are neither an id nor "ref: ...") are no refs, and hide their packed copies, as in git.
type Refs struct {
	gitDir, commonDir string
	linked            bool // a linked work tree: see perWorktreeRefs
	packed            map[plumbing.ReferenceName]plumbing.Hash
	loose             map[plumbing.ReferenceName]looseRef
	dirs              map[string]map[string]bool // folder -> its entries (true: a folder)
}

type looseRef struct {
	ref    *plumbing.Reference // nil: no loose file, or a broken one
	broken bool
}

// ReadRefs reads packed-refs; loose refs are read as Get asks for them.
func (r *Repo) ReadRefs() (*Refs, error) {
	s := &Refs{gitDir: r.GitDir, commonDir: r.CommonDir, linked: r.GitDir != r.CommonDir,
		packed: map[plumbing.ReferenceName]plumbing.Hash{}, loose: map[plumbing.ReferenceName]looseRef{},
		dirs: map[string]map[string]bool{}}
	if err := s.readPacked(filepath.Join(r.CommonDir, "packed-refs")); err != nil {
		return nil, fmt.Errorf("read refs: %w", err)
	}
	return s, nil
}

// perWorktreeRefs are the folders of refs each work tree keeps for itself (git's
// worktree documentation): in a linked work tree they are read from its own folder.
var perWorktreeRefs = []string{"refs/bisect/", "refs/worktree/", "refs/rewritten/"}

// lookup is name's loose ref, read once.
func (s *Refs) lookup(name plumbing.ReferenceName) looseRef {
	if l, ok := s.loose[name]; ok {
		return l
	}
	var l looseRef
	if path, ok := s.loosePath(name.String()); ok {
		if ref, ok := readLooseRef(path, name); ok {
			l.ref = ref
		} else {
			l.broken = true
		}
	}
	s.loose[name] = l
	return l
}

// loosePath is the file of a loose ref named name, if the listings of the folders on
// its way hold it: HEAD in the work tree's git folder; refs/... in the common folder,
// or the work tree's for its own (see perWorktreeRefs).
func (s *Refs) loosePath(name string) (string, bool) {
	if name == "HEAD" {
		return filepath.Join(s.gitDir, "HEAD"), true
	}
	if !strings.HasPrefix(name, "refs/") {
		return "", false
	}
	base := s.commonDir
	if s.linked && slices.ContainsFunc(perWorktreeRefs, func(p string) bool { return strings.HasPrefix(name, p) }) {
		base = s.gitDir
	}
	parts := strings.Split(name, "/")[1:]
	dir := filepath.Join(base, "refs")
	for i, part := range parts {
		last := i == len(parts)-1
		isDir, found := s.list(dir)[part]
		if !found || isDir == last || last && strings.HasSuffix(part, ".lock") {
			return "", false
		}
		dir = filepath.Join(dir, part)
	}
	return dir, true
}

// list is a folder's entries, read once (none when it cannot be read).
func (s *Refs) list(dir string) map[string]bool {
	if m, ok := s.dirs[dir]; ok {
		return m
	}
	m := map[string]bool{}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			m[e.Name()] = e.IsDir()
		}
	}
	s.dirs[dir] = m
	return m
}

// readLooseRef reads one ref file: an object id, or "ref: " and the ref it points to.
func readLooseRef(path string, name plumbing.ReferenceName) (*plumbing.Reference, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	v := strings.TrimSpace(string(data))
	if target, ok := strings.CutPrefix(v, "ref: "); ok {
		target = strings.TrimSpace(target)
		return plumbing.NewSymbolicReference(name, plumbing.ReferenceName(target)), target != ""
	}
	if !plumbing.IsHash(v) {
		return nil, false
	}
	return plumbing.NewHashReference(name, plumbing.NewHash(v)), true
}

// readPacked reads a packed-refs file: "<id> <name>" lines, with "#" header lines and
// "^<id>" (a tag's peeled commit) lines after them.
func (s *Refs) readPacked(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		id, name, ok := strings.Cut(strings.TrimRight(line, "\r"), " ")
		if ok && plumbing.IsHash(id) && name != "" {
			s.packed[plumbing.ReferenceName(name)] = plumbing.NewHash(id)
		}
	}
	return nil
}

// maxSymbolicDepth bounds how many symbolic refs Get follows (git's own limit is 5).
const maxSymbolicDepth = 5

// Get is the object a ref names, following symbolic refs, or zero when there is no such
// ref (or its symbolic chain ends nowhere), as Ref answers.
func (s *Refs) Get(name plumbing.ReferenceName) plumbing.Hash {
	for range maxSymbolicDepth + 1 {
		l := s.lookup(name)
		switch {
		case l.broken:
			return plumbing.ZeroHash
		case l.ref == nil:
			return s.packed[name]
		case l.ref.Type() == plumbing.HashReference:
			return l.ref.Hash()
		}
		name = l.ref.Target()
	}
	return plumbing.ZeroHash
}
