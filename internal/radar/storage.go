package radar

import (
	"bufio"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	gitcache "github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// openStorage opens the object database of gitDir for reading, with pack files mapped.
// Alternates (clones made with --shared or --reference, common on CI servers) are opened
// once each and asked in turn: go-git's own lookup reopens them, indexes and all, for
// every object they hold.
//
// Packed objects are read by packStorage (see packReader) over packIndex: both map their
// files and read them in place, so opening costs nothing and a run that reads a few
// hundred objects (a pull request's check of one pair) pays for just those.
func openStorage(gitDir string) storage.Storer { return openObjects(gitDir) }

// openObjects opens gitDir's objects, then its alternates'.
func openObjects(gitDir string) storage.Storer {
	fs := osfs.New(gitDir)
	main := &packStorage{Storage: newGoGitStorage(fs), fs: fs}
	alts := readAlternates(gitDir)
	if len(alts) == 0 {
		return main
	}
	s := &altStorage{packStorage: main}
	for _, objDir := range alts {
		s.alts = append(s.alts, openObjects(filepath.Dir(objDir)))
		s.altDirs = append(s.altDirs, filepath.Dir(objDir))
	}
	return s
}

// newGoGitStorage is go-git's storage of the git folder fs, for what packStorage leaves
// to it, with its alternates left out (altStorage asks those).
func newGoGitStorage(fs billy.Filesystem) *filesystem.Storage {
	opts := filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New(filepath.Join(fs.Root(), "no-alternates"))}
	return filesystem.NewStorageWithOptions(fs, gitcache.NewObjectLRUDefault(), opts)
}

// readAlternates lists the object folders named in objects/info/alternates.
func readAlternates(gitDir string) []string {
	f, err := os.Open(filepath.Join(gitDir, "objects", "info", "alternates"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(gitDir, "objects", p)
		}
		out = append(out, filepath.Clean(p))
	}
	return out
}

// altStorage reads objects from the repository, then from its alternates.
type altStorage struct {
	*packStorage
	alts    []storage.Storer
	altDirs []string // the git folder of each
}

func (s *altStorage) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	o, err := s.packStorage.EncodedObject(t, h)
	if !errors.Is(err, plumbing.ErrObjectNotFound) {
		return o, err
	}
	for _, a := range s.alts {
		if o, aerr := a.EncodedObject(t, h); aerr == nil {
			return o, nil
		}
	}
	return nil, err
}

func (s *altStorage) HasEncodedObject(h plumbing.Hash) error {
	err := s.packStorage.HasEncodedObject(h)
	if err == nil {
		return nil
	}
	for _, a := range s.alts {
		if a.HasEncodedObject(h) == nil {
			return nil
		}
	}
	return err
}

func (s *altStorage) Close() error {
	for _, a := range s.alts {
		if c, ok := a.(interface{ Close() error }); ok {
			c.Close()
		}
	}
	return s.packStorage.Close()
}

// packStorage reads packed objects itself (see packReader), over packIndex, and leaves
// the rest (loose objects, refs, shallow commits) to go-git's storage. An object in no
// pack goes to go-git, which looks for it loose, then in the packs it indexes itself: only
// an object missing everywhere, or a pack kickoff cannot read, costs go-git's index. The
// packs are those present at the first read, as with go-git's storage.
type packStorage struct {
	*filesystem.Storage
	fs billy.Filesystem // the git folder

	once   sync.Once
	packs  []*packReader
	forked bool // see fork: the indexes and mapped packs belong to another
}

// open finds the packs and maps them and their indexes, once. A pack it cannot read is
// left to go-git, whose error then names it.
func (s *packStorage) open() []*packReader {
	s.once.Do(func() {
		dir := filepath.Join(s.fs.Root(), "objects", "pack")
		names, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, fi := range names {
			n := fi.Name()
			if !strings.HasPrefix(n, "pack-") || !strings.HasSuffix(n, ".pack") {
				continue
			}
			h := plumbing.NewHash(strings.TrimSuffix(strings.TrimPrefix(n, "pack-"), ".pack"))
			idx, err := openPackIndex(filepath.Join(dir, strings.TrimSuffix(n, ".pack")+".idx"), h)
			if err != nil {
				slog.Debug("pack index left to go-git", "pack", n, "err", err)
				continue
			}
			data, err := openPackData(filepath.Join(dir, n))
			if err != nil {
				idx.close()
				slog.Debug("pack left to go-git", "pack", n, "err", err)
				continue
			}
			s.packs = append(s.packs, &packReader{idx: idx, pack: data, bases: newBaseCache()})
		}
	})
	return s.packs
}

func (s *packStorage) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	for _, p := range s.open() {
		i := p.idx.position(h)
		if i < 0 {
			continue
		}
		o, err := p.object(h, i)
		if err != nil {
			return nil, err
		}
		if t != plumbing.AnyObject && o.Type() != t {
			return nil, plumbing.ErrObjectNotFound
		}
		return o, nil
	}
	return s.Storage.EncodedObject(t, h)
}

func (s *packStorage) HasEncodedObject(h plumbing.Hash) error {
	for _, p := range s.open() {
		if p.idx.position(h) >= 0 {
			return nil
		}
	}
	return s.Storage.HasEncodedObject(h)
}

func (s *packStorage) Close() error {
	if !s.forked {
		for _, p := range s.packs {
			p.pack.close()
			p.idx.close()
		}
	}
	return s.Storage.Close()
}

// fork opens the same object database for another goroutine: its own cache of delta
// bases and go-git storage, the indexes and mapped packs (read-only) shared. A fork is
// closed before s.
func (s *packStorage) fork() *packStorage {
	f := &packStorage{Storage: newGoGitStorage(s.fs), fs: s.fs, forked: true}
	f.once.Do(func() {
		for _, p := range s.open() {
			f.packs = append(f.packs, &packReader{idx: p.idx, pack: p.pack, bases: newBaseCache()})
		}
	})
	return f
}

// forkStorage opens st's object database (see openStorage) for another goroutine,
// sharing what can be shared.
func forkStorage(st storage.Storer, gitDir string) storage.Storer {
	switch s := st.(type) {
	case *packStorage:
		return s.fork()
	case *altStorage:
		f := &altStorage{packStorage: s.packStorage.fork()}
		for i, a := range s.alts {
			f.alts = append(f.alts, forkStorage(a, s.altDirs[i]))
		}
		f.altDirs = s.altDirs
		return f
	}
	return openStorage(gitDir)
}
