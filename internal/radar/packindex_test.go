package radar

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// packedRepo makes a repository whose objects are all in one pack, most of them deltas
// (a file edited a line at a time), with a reverse index or without.
func packedRepo(t *testing.T, rev bool) (r *gittest.Repo, pack string) {
	t.Helper()
	r = gittest.NewLocal(t)
	text := lines(300, "v")
	for i := 1; i <= 30; i++ {
		text = replaceLine(text, i*7, fmt.Sprintf("edit %d", i))
		r.Commit("big.txt", text, fmt.Sprintf("edit %d", i))
		r.Commit(fmt.Sprintf("dir%d/small.txt", i%4), fmt.Sprintf("small %d\n", i), "small")
	}
	r.Git("tag", "-a", "-m", "release", "v1")
	r.Git("-c", "pack.writeReverseIndex="+strconv.FormatBool(rev), "repack", "-adfq")
	packs, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "pack-*.pack"))
	if len(packs) != 1 {
		t.Fatalf("want one pack, got %v", packs)
	}
	if _, err := os.Stat(strings.TrimSuffix(packs[0], ".pack") + ".rev"); (err == nil) != rev {
		t.Fatalf(".rev present: %v, want %v", err == nil, rev)
	}
	return r, strings.TrimSuffix(packs[0], ".pack")
}

// showIndex is git's own reading of an index: offset, id and CRC-32 of every object.
func showIndex(t *testing.T, idx string) [][3]string {
	t.Helper()
	f, err := os.Open(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command("git", "show-index")
	cmd.Stdin, cmd.Env = f, gittest.Env()
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var rows [][3]string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var row [3]string
		if _, err := fmt.Sscanf(l, "%s %s (%8s)", &row[0], &row[1], &row[2]); err != nil {
			t.Fatalf("git show-index line %q: %v", l, err)
		}
		rows = append(rows, row)
	}
	return rows
}

func TestPackIndexAgreesWithGit(t *testing.T) {
	for _, rev := range []bool{false, true} {
		t.Run(fmt.Sprintf("rev=%v", rev), func(t *testing.T) {
			_, pack := packedRepo(t, rev)
			x, err := openPackIndex(pack+".idx", pack+".rev", plumbing.NewHash(strings.TrimPrefix(filepath.Base(pack), "pack-")))
			if err != nil {
				t.Fatal(err)
			}
			rows := showIndex(t, pack+".idx")
			if n, _ := x.Count(); int(n) != len(rows) {
				t.Fatalf("count %d, git lists %d objects", n, len(rows))
			}
			for _, row := range rows {
				h, want := plumbing.NewHash(row[1]), row[0]
				if off, err := x.FindOffset(h); err != nil || strconv.FormatInt(off, 10) != want {
					t.Errorf("FindOffset(%s) = %d, %v; git says %s", h, off, err, want)
				}
				off, _ := strconv.ParseInt(want, 10, 64)
				if got, err := x.FindHash(off); err != nil || got != h {
					t.Errorf("FindHash(%d) = %s, %v; git says %s", off, got, err, h)
				}
				if crc, err := x.FindCRC32(h); err != nil || fmt.Sprintf("%08x", crc) != row[2] {
					t.Errorf("FindCRC32(%s) = %08x, %v; git says %s", h, crc, err, row[2])
				}
			}
			if _, err := x.FindHash(1); err != plumbing.ErrObjectNotFound {
				t.Errorf("FindHash at no object's offset: %v, want not found", err)
			}
			if ok, _ := x.Contains(plumbing.NewHash(strings.Repeat("ab", 20))); ok {
				t.Error("Contains an id that is not in the pack")
			}
			it, _ := x.EntriesByOffset()
			last, n := int64(-1), 0
			for {
				e, err := it.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if int64(e.Offset) <= last {
					t.Fatalf("EntriesByOffset not in pack order: %d after %d", e.Offset, last)
				}
				last, n = int64(e.Offset), n+1
			}
			if n != len(rows) {
				t.Errorf("EntriesByOffset listed %d of %d objects", n, len(rows))
			}
			if (x.revFile != nil) != rev || (x.rev != nil) == rev {
				t.Errorf("reverse index read: %v, positions sorted: %v; want the .rev file read: %v", x.revFile != nil, x.rev != nil, rev)
			}
		})
	}
}

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

func TestPackIndexRejectsDamage(t *testing.T) {
	_, pack := packedRepo(t, false)
	data, err := os.ReadFile(pack + ".idx")
	if err != nil {
		t.Fatal(err)
	}
	name := plumbing.NewHash(strings.TrimPrefix(filepath.Base(pack), "pack-"))
	bad := filepath.Join(t.TempDir(), "bad.idx")
	for what, b := range map[string][]byte{
		"truncated":     data[:len(data)-30],
		"not an index":  append([]byte("PACK"), data[4:]...),
		"fan-out order": append(append(append([]byte{}, data[:8]...), 0xff, 0xff, 0xff, 0xff), data[12:]...),
	} {
		os.WriteFile(bad, b, 0o644)
		if _, err := openPackIndex(bad, "", name); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: err %v, want one naming %s", what, err, bad)
		}
	}
	if _, err := openPackIndex(pack+".idx", "", plumbing.NewHash(strings.Repeat("ab", 20))); err == nil {
		t.Error("an index of another pack was accepted")
	}
}
