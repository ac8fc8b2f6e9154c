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
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// openStorage opens the object database of gitDir for reading, with pack files kept open.
// Alternates (clones made with --shared or --reference, common on CI servers) are opened
// once each and asked in turn: go-git's own lookup reopens them, indexes and all, for
// every object they hold.
//
// Packed objects are read through packStorage (see packIndex): go-git's reader, with an
// index that costs nothing to open.
//
// It hashes (pack index checksums, object ids) with go-git's default, collision-detecting
// SHA-1: the sha1cd v0.7 that go-git v5.19 uses runs on SHA-NI, AVX2 or arm64
// instructions, at about 1.5 times plain SHA-1's time, a fraction of a millisecond per
// pack index on a 20,000-file repository. So the radar leaves go-git's hash registry,
// which is process-wide, alone.
func openStorage(gitDir string) storage.Storer { return openObjects(gitDir, true) }

// openObjects opens gitDir's objects, then its alternates' (own: kickoff may keep its
// files in gitDir, see packStorage.ownRevs; never in an alternate's).
func openObjects(gitDir string, own bool) storage.Storer {
	opts := filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New(filepath.Join(gitDir, "no-alternates"))}
	fs := osfs.New(gitDir)
	objects := gitcache.NewObjectLRUDefault()
	main := &packStorage{Storage: filesystem.NewStorageWithOptions(fs, objects, opts), fs: fs, objects: objects, ownRevs: own}
	alts := readAlternates(gitDir)
	if len(alts) == 0 {
		return main
	}
	s := &altStorage{packStorage: main}
	for _, objDir := range alts {
		s.alts = append(s.alts, openObjects(filepath.Dir(objDir), false))
		s.altDirs = append(s.altDirs, filepath.Dir(objDir))
	}
	return s
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

// packStorage reads packed objects with go-git's pack reader over packIndex, and leaves
// the rest (loose objects, refs, shallow commits) to go-git's storage. An object in no
// pack goes to go-git, which looks for it loose, then in the packs it indexes itself: only
// an object missing everywhere, or a pack whose index packIndex cannot read, costs go-git's
// index. The packs are those present at the first read, as with go-git's storage.
type packStorage struct {
	*filesystem.Storage
	fs      billy.Filesystem // the git folder
	objects gitcache.Object  // delta bases, shared with go-git's storage

	once   sync.Once
	packs  []*packReader
	forked bool // see fork: the indexes belong to another
	// ownRevs: kickoff keeps the reverse indexes it sorts under kickoff/packs in this git
	// folder (the repository's own; never an alternate's).
	ownRevs bool
}

type packReader struct {
	idx  *packIndex
	pack *packfile.Packfile
	path string // the pack file, in the git folder
}

// open finds the packs and reads their indexes, once. A pack it cannot read is left to
// go-git, whose error then names it.
func (s *packStorage) open() []*packReader {
	s.once.Do(func() {
		dir := filepath.Join("objects", "pack")
		names, err := s.fs.ReadDir(dir)
		if err != nil {
			return
		}
		for _, fi := range names {
			n := fi.Name()
			if !strings.HasPrefix(n, "pack-") || !strings.HasSuffix(n, ".pack") {
				continue
			}
			h := plumbing.NewHash(strings.TrimSuffix(strings.TrimPrefix(n, "pack-"), ".pack"))
			base := filepath.Join(dir, strings.TrimSuffix(n, ".pack"))
			idx, err := openPackIndex(s.fs.Join(s.fs.Root(), base+".idx"), s.fs.Join(s.fs.Root(), base+".rev"), h)
			if err != nil {
				slog.Debug("pack index left to go-git", "pack", n, "err", err)
				continue
			}
			if s.ownRevs {
				idx.ownRevPath = s.fs.Join(s.fs.Root(), "kickoff", "packs", strings.TrimSuffix(n, ".pack")+".rev")
			}
			f, err := s.fs.Open(filepath.Join(dir, n))
			if err != nil {
				slog.Debug("pack left to go-git", "pack", n, "err", err)
				continue
			}
			s.packs = append(s.packs, &packReader{idx: idx, pack: packfile.NewPackfileWithCache(idx, s.fs, f, s.objects, 0), path: filepath.Join(dir, n)})
		}
	})
	return s.packs
}

func (s *packStorage) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	for _, p := range s.open() {
		if p.idx.position(h) < 0 {
			continue
		}
		o, err := p.pack.Get(h)
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
	for _, p := range s.packs {
		p.pack.Close()
		if !s.forked {
			p.idx.close()
		}
	}
	return s.Storage.Close()
}

// fork opens the same object database for another goroutine: its own files, object
// cache and go-git storage, the indexes (read-only once built) shared. A fork is closed
// before s.
func (s *packStorage) fork() *packStorage {
	opts := filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New(filepath.Join(s.fs.Root(), "no-alternates"))}
	objects := gitcache.NewObjectLRUDefault()
	f := &packStorage{Storage: filesystem.NewStorageWithOptions(s.fs, objects, opts), fs: s.fs, objects: objects, forked: true}
	f.once.Do(func() {
		for _, p := range s.open() {
			file, err := s.fs.Open(p.path)
			if err != nil {
				slog.Debug("pack left to go-git", "pack", p.path, "err", err)
				continue
			}
			f.packs = append(f.packs, &packReader{idx: p.idx, pack: packfile.NewPackfileWithCache(p.idx, s.fs, file, objects, 0), path: p.path})
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
