package radar

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Every object read through packStorage (deltas resolved through packIndex) hashes to its
// id and has the type git gives it: in the repository, in a fork of its storage (see
// forkStorage), and in a clone that borrows the objects (alternates).
func TestPackStorageReadsEveryObject(t *testing.T) {
	r, pack := packedRepo(t, false)
	st := openStorage(filepath.Join(r.Dir, ".git"))
	defer st.(interface{ Close() error }).Close()
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
		r, _ := o.Reader()
		body, _ := io.ReadAll(r)
		if got := plumbing.ComputeHash(o.Type(), body); got != h {
			t.Errorf("%s: content hashes to %s", h, got)
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
