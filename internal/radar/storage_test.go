package radar

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Every object read through packStorage (see packReader: deltas against an offset or an
// id, chains up to git's depth 50, copies of 64 KiB runs) hashes to its id and has the
// type and size git gives it: in the repository, in a fork of its storage (see
// forkStorage), and in a clone that borrows the objects (alternates).
func TestPackStorageReadsEveryObject(t *testing.T) {
	for _, ofs := range []bool{true, false} {
		t.Run(fmt.Sprintf("offset-deltas=%v", ofs), func(t *testing.T) {
			r, pack := packedRepo(t, ofs)
			st := openStorage(filepath.Join(r.Dir, ".git"))
			defer st.(interface{ Close() error }).Close()
			kinds := storedKinds(t, st.(*packStorage))
			if want := map[bool]byte{true: packOFSDelta, false: packREFDelta}[ofs]; kinds[want] == 0 {
				t.Fatalf("the pack holds no delta of kind %d (%v): the test reads none", want, kinds)
			}
			readsEveryObject(t, r, pack, st)
			fork := forkStorage(st, filepath.Join(r.Dir, ".git"))
			readsEveryObject(t, r, pack, fork)
			fork.(interface{ Close() error }).Close()

			shared := filepath.Join(t.TempDir(), "shared")
			r.Git("clone", "-q", "--shared", "--no-checkout", r.Dir, shared)
			alt := openStorage(filepath.Join(shared, ".git"))
			defer alt.(interface{ Close() error }).Close()
			if _, ok := alt.(*altStorage); !ok {
				t.Fatalf("a --shared clone opened as %T, not with its alternates", alt)
			}
			readsEveryObject(t, r, pack, alt)
			readsEveryObject(t, r, pack, forkStorage(alt, filepath.Join(shared, ".git")))
		})
	}
}

// storedKinds counts the pack's entries by the type they are stored as.
func storedKinds(t *testing.T, s *packStorage) map[byte]int {
	t.Helper()
	packs := s.open()
	if len(packs) != 1 {
		t.Fatalf("%d packs read, want 1", len(packs))
	}
	p, kinds := packs[0], map[byte]int{}
	for i := 0; i < p.idx.n; i++ {
		off, _ := p.idx.offset(i)
		e, err := p.pack.entry(off)
		if err != nil {
			t.Fatal(err)
		}
		kinds[e.typ]++
	}
	return kinds
}

func readsEveryObject(t *testing.T, r *gittest.Repo, pack string, st storage.Storer) {
	t.Helper()
	for _, row := range showIndex(t, pack+".idx") {
		h := plumbing.NewHash(row[1])
		typ := r.Git("cat-file", "-t", row[1])
		o, err := st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		if o.Type().String() != typ {
			t.Errorf("%s: type %s, git says %s", h, o.Type(), typ)
		}
		r, err := o.Reader()
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		body, _ := io.ReadAll(r)
		if got := plumbing.ComputeHash(o.Type(), body); got != h {
			t.Errorf("%s: content hashes to %s", h, got)
		}
		if o.Size() != int64(len(body)) {
			t.Errorf("%s: size %d before reading, %d read", h, o.Size(), len(body))
		}
	}
}

func TestPackStorageFallsBackToGoGit(t *testing.T) {
	r, _ := packedRepo(t, false)
	st := openStorage(filepath.Join(r.Dir, ".git"))
	defer st.(interface{ Close() error }).Close()
	// A tag's target, as the radar peels it; a loose object written after the packs were
	// read comes from go-git's storage.
	tag, err := object.GetTag(st, plumbing.NewHash(r.Git("rev-parse", "v1")))
	if err != nil || tag.Target.String() != r.Git("rev-parse", "v1^{commit}") {
		t.Fatalf("tag v1: %v, %v", tag, err)
	}
	loose := plumbing.NewHash(r.Git("commit-tree", "-m", "loose", "HEAD^{tree}"))
	if _, err := object.GetCommit(st, loose); err != nil {
		t.Errorf("loose commit: %v", err)
	}
	if _, err := st.EncodedObject(plumbing.AnyObject, plumbing.NewHash(strings.Repeat("ab", 20))); err != plumbing.ErrObjectNotFound {
		t.Errorf("missing object: %v, want not found", err)
	}
}

// readAlternates reads objects/info/alternates as git does: one folder a line, relative
// ones from the objects folder, blank lines and comments skipped.
func TestReadAlternates(t *testing.T) {
	gitDir := t.TempDir()
	info := filepath.Join(gitDir, "objects", "info")
	if got := readAlternates(gitDir); got != nil {
		t.Errorf("no alternates file: %v", got)
	}
	if err := os.MkdirAll(info, 0o755); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(t.TempDir(), "shared", "objects")
	os.WriteFile(filepath.Join(info, "alternates"), []byte("# borrowed\n"+abs+"\n\n../../other/.git/objects/\n"), 0o644)
	want := []string{abs, filepath.Join(filepath.Dir(gitDir), "other", ".git", "objects")}
	if got := readAlternates(gitDir); !slices.Equal(got, want) {
		t.Errorf("readAlternates = %q, want %q", got, want)
	}
}

// The reverse indexes kickoff kept under .git/kickoff/packs before it read packs itself
// are removed by the next run; the rest of kickoff's folder stays.
func TestOldReverseIndexesRemoved(t *testing.T) {
	r, _ := packedRepo(t, true)
	gitDir := filepath.Join(r.Dir, ".git")
	old := filepath.Join(gitDir, "kickoff", "packs", "pack-"+strings.Repeat("0", 40)+".rev")
	keep := filepath.Join(gitDir, "kickoff", "objects", "info", "keep")
	for _, f := range []string{old, keep} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("x"), 0o644)
	}
	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Open(context.Background(), repo, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	if _, err := os.Stat(filepath.Dir(old)); err == nil {
		t.Error(".git/kickoff/packs is still there")
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("the rest of .git/kickoff went too: %v", err)
	}
}

// TestPackReaderOnRealHistory reads every object of $RADAR_REPO's packs (a public
// repository's, as fetched: deltas as its server and git's repacks made them) through
// packStorage and checks each hashes to its id, with the size its header gave. Skipped
// unless RADAR_REPO is set.
func TestPackReaderOnRealHistory(t *testing.T) {
	dir := os.Getenv("RADAR_REPO")
	if dir == "" {
		t.Skip("set RADAR_REPO to a repository to read all of its packed objects")
	}
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := openStorage(repo.CommonDir).(*packStorage)
	defer st.Close()
	n := 0
	for _, p := range st.open() {
		for i := 0; i < p.idx.n; i++ {
			h := plumbing.Hash(p.idx.name(i))
			o, err := p.object(h, i)
			if err != nil {
				t.Fatalf("%s: %v", h, err)
			}
			r, err := o.Reader()
			if err != nil {
				t.Fatalf("%s: %v", h, err)
			}
			body, _ := io.ReadAll(r)
			if got := plumbing.ComputeHash(o.Type(), body); got != h || int64(len(body)) != o.Size() {
				t.Fatalf("%s read as %s, %d bytes (header: %d)", h, got, len(body), o.Size())
			}
			n++
		}
	}
	t.Logf("%d objects read, each hashing to its id", n)
}
