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
