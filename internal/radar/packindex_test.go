package radar

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

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

// TestOwnReverseIndexKept: with no .rev of git's, the order kickoff sorts is kept under
// kickoff/packs in git's own format (byte for byte what git writes for the pack) and
// mapped by the next run; a kept file whose order is wrong is not used, and every
// answer stays git's.
func TestOwnReverseIndexKept(t *testing.T) {
	r, pack := packedRepo(t, false)
	name := plumbing.NewHash(strings.TrimPrefix(filepath.Base(pack), "pack-"))
	own := filepath.Join(r.Dir, ".git", "kickoff", "packs", filepath.Base(pack)+".rev")
	rows := showIndex(t, pack+".idx")
	open := func() *packIndex {
		t.Helper()
		x, err := openPackIndex(pack+".idx", pack+".rev", name)
		if err != nil {
			t.Fatal(err)
		}
		x.ownRevPath = own
		t.Cleanup(func() { x.close() })
		for _, row := range rows {
			off, _ := strconv.ParseInt(row[0], 10, 64)
			if got, err := x.FindHash(off); err != nil || got.String() != row[1] {
				t.Fatalf("FindHash(%d) = %s, %v; git says %s", off, got, err, row[1])
			}
		}
		return x
	}
	stale := filepath.Join(filepath.Dir(own), "pack-"+strings.Repeat("0", 40)+".rev")
	if err := os.MkdirAll(filepath.Dir(own), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("a pack repacked away"), 0o644); err != nil {
		t.Fatal(err)
	}
	if x := open(); x.rev == nil || x.revFile != nil {
		t.Fatal("the first read did not sort the offsets")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the kept file of a pack that is gone was left")
	}
	kept, err := os.ReadFile(own)
	if err != nil {
		t.Fatalf("no reverse index kept: %v", err)
	}
	r.Git("index-pack", "--rev-index", pack+".pack")
	if gits, err := os.ReadFile(pack + ".rev"); err != nil || string(gits) != string(kept) {
		t.Fatalf("the kept file differs from git's own .rev (%v)", err)
	}
	os.Remove(pack + ".rev")
	if x := open(); x.revFile == nil || x.rev != nil {
		t.Error("the next read sorted again instead of mapping the kept file")
	}

	// Two positions swapped, header and trailer intact: refused, sorted again, right.
	damaged := []byte(string(kept))
	copy(damaged[12:16], kept[16:20])
	copy(damaged[16:20], kept[12:16])
	if err := os.WriteFile(own, damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	if x := open(); x.revFile != nil || x.rev == nil {
		t.Error("a kept file with positions out of order was used")
	}
}
