package radar

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"
)

func TestPackIndexAgreesWithGit(t *testing.T) {
	_, pack := packedRepo(t, true)
	x, err := openPackIndex(pack+".idx", plumbing.NewHash(strings.TrimPrefix(filepath.Base(pack), "pack-")))
	if err != nil {
		t.Fatal(err)
	}
	defer x.close()
	rows := showIndex(t, pack+".idx")
	if x.n != len(rows) {
		t.Fatalf("%d objects, git lists %d", x.n, len(rows))
	}
	for _, row := range rows {
		h := plumbing.NewHash(row[1])
		i := x.position(h)
		if i < 0 {
			t.Errorf("%s not found", h)
			continue
		}
		if off, err := x.offset(i); err != nil || strconv.FormatUint(off, 10) != row[0] {
			t.Errorf("offset of %s = %d, %v; git says %s", h, off, err, row[0])
		}
	}
	if x.position(plumbing.NewHash(strings.Repeat("ab", 20))) >= 0 {
		t.Error("found an id that is not in the pack")
	}
}

func TestPackIndexRejectsDamage(t *testing.T) {
	_, pack := packedRepo(t, true)
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
		if _, err := openPackIndex(bad, name); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: err %v, want one naming %s", what, err, bad)
		}
	}
	if _, err := openPackIndex(pack+".idx", plumbing.NewHash(strings.Repeat("ab", 20))); err == nil {
		t.Error("an index of another pack was accepted")
	}
}

// A damaged pack (cut short, or bytes overwritten in its middle) gives errors that name
// it for the objects it spoils, never a panic or a wrong object: what is read still
// hashes to its id.
func TestPackReaderRejectsDamage(t *testing.T) {
	r, pack := packedRepo(t, true)
	data, err := os.ReadFile(pack + ".pack")
	if err != nil {
		t.Fatal(err)
	}
	rows := showIndex(t, pack+".idx")
	for what, damage := range map[string]func([]byte) []byte{
		"cut short": func(b []byte) []byte { return b[:len(b)/2] },
		"overwritten": func(b []byte) []byte {
			for i := len(b) / 3; i < len(b)/3+len(b)/10; i++ {
				b[i] = byte(i * 7)
			}
			return b
		},
	} {
		t.Run(what, func(t *testing.T) {
			gitDir := filepath.Join(t.TempDir(), ".git")
			r.Git("clone", "-q", "--bare", r.Dir, gitDir)
			packs, _ := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "pack-*.pack"))
			for _, p := range packs {
				os.Remove(p)
				os.Remove(strings.TrimSuffix(p, ".pack") + ".idx")
			}
			dst := filepath.Join(gitDir, "objects", "pack", filepath.Base(pack))
			os.WriteFile(dst+".pack", damage(append([]byte(nil), data...)), 0o644)
			idx, _ := os.ReadFile(pack + ".idx")
			os.WriteFile(dst+".idx", idx, 0o644)

			st := openStorage(gitDir)
			defer st.(interface{ Close() error }).Close()
			failed := 0
			for _, row := range rows {
				h := plumbing.NewHash(row[1])
				body, err := readObject(st, h)
				if err != nil {
					failed++
					if !strings.Contains(err.Error(), dst+".pack") {
						t.Errorf("%s: %v, want an error naming the pack", h, err)
					}
					continue
				}
				if got := plumbing.ComputeHash(body.t, body.data); got != h {
					t.Errorf("%s read from a damaged pack as an object that hashes to %s", h, got)
				}
			}
			if failed == 0 {
				t.Error("no read failed")
			}
		})
	}
}

type readBody struct {
	t    plumbing.ObjectType
	data []byte
}

func readObject(st storage.Storer, h plumbing.Hash) (readBody, error) {
	o, err := st.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return readBody{}, err
	}
	rd, err := o.Reader()
	if err != nil {
		return readBody{}, err
	}
	data, err := io.ReadAll(rd)
	return readBody{o.Type(), data}, err
}
