package radar

import (
	"bytes"
	"fmt"
	"log/slog"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// captureWarnings collects what slog says during f.
func captureWarnings(t *testing.T, f func()) string {
	t.Helper()
	return captureLog(slog.LevelInfo, f)
}

// captureLog returns what f logs at level and above.
func captureLog(level slog.Level, f func()) string {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level})))
	defer slog.SetDefault(old)
	f()
	return buf.String()
}

// TestDamagedCacheIsSetAside: a cache file truncated, with pages of garbage, of another
// version or replaced by a symlink never panics a run nor changes a verdict: it is set
// aside with a warning naming it, and the run after builds a new one that serves again.
func TestDamagedCacheIsSetAside(t *testing.T) {
	r := gittest.NewLocal(t)
	base := lines(20, "k")
	r.Commit("shared.txt", base, "base")
	names := []string{"main"}
	for i := 0; i < 4; i++ {
		n := fmt.Sprintf("k%d", i)
		branch(t, r, n, "main", "edit "+n, func() {
			r.Write("shared.txt", replaceLine(base, 1+(i%2)*5, n))
		})
		names = append(names, n)
	}
	want := compare(t, r.Dir, "", names...)
	run := func(t *testing.T, dir string) (*Report, Stats) {
		t.Helper()
		e := openEngine(t, r.Dir, dir)
		rep := compareOn(t, e, names...)
		st := e.Stats
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		return rep, st
	}
	damages := map[string]func(t *testing.T, p string){
		"truncated": func(t *testing.T, p string) {
			st, _ := os.Stat(p)
			if err := os.Truncate(p, st.Size()/3); err != nil {
				t.Fatal(err)
			}
		},
		"garbage pages": func(t *testing.T, p string) {
			data, _ := os.ReadFile(p)
			rng := rand.New(rand.NewSource(1))
			// Every page but the two meta pages.
			for i := 2 * os.Getpagesize(); i < len(data); i++ {
				data[i] = byte(rng.Intn(256))
			}
			os.WriteFile(p, data, 0o644)
		},
		"garbage file": func(t *testing.T, p string) {
			os.WriteFile(p, bytes.Repeat([]byte("not a bolt file "), 1000), 0o644)
		},
		"another version": func(t *testing.T, p string) {
			db, err := bolt.Open(p, 0o644, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketFormat).Put([]byte("format"), []byte("v1"))
			})
			db.Close()
		},
		"symlink": func(t *testing.T, p string) {
			elsewhere := filepath.Join(t.TempDir(), "elsewhere.db")
			os.Rename(p, elsewhere)
			if err := os.Symlink(elsewhere, p); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "state")
			run(t, dir)
			p := filepath.Join(dir, CacheFile)
			damage(t, p)
			var got *Report
			log := captureWarnings(t, func() { got, _ = run(t, dir) })
			for i := range want.Pairs {
				if got.Pairs[i].Summary() != want.Pairs[i].Summary() {
					t.Errorf("pair %d with a damaged cache: %s, without a cache: %s", i, got.Pairs[i].Summary(), want.Pairs[i].Summary())
				}
			}
			if !strings.Contains(log, "damaged") || !strings.Contains(log, p) {
				t.Errorf("no warning naming %s:\n%s", p, log)
			}
			if st, err := os.Lstat(p + ".broken"); err != nil {
				t.Errorf("the damaged file was not set aside: %v", err)
			} else if name == "symlink" && st.Mode()&os.ModeSymlink == 0 {
				t.Error("the link, not its target, is what should be set aside")
			}
			// The next runs build and then read a sound cache.
			run(t, dir)
			again, st := run(t, dir)
			if st.Cached != len(want.Pairs) {
				t.Errorf("after the rebuild: %+v, want all %d pairs from the cache", st, len(want.Pairs))
			}
			for i := range want.Pairs {
				if again.Pairs[i].Summary() != want.Pairs[i].Summary() {
					t.Errorf("pair %d from the rebuilt cache: %s, want %s", i, again.Pairs[i].Summary(), want.Pairs[i].Summary())
				}
			}
		})
	}
}

// TestCacheValueChecksum: a value whose bytes changed after it was written is a miss,
// and the file is reported as damaged.
func TestCacheValueChecksum(t *testing.T) {
	dir := t.TempDir()
	c, err := openCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.putAll(bucketPairs, map[string]any{"a:b": Pair{A: "a", B: "b", Clean: true}}); err != nil {
		t.Fatal(err)
	}
	var p Pair
	if !c.get(bucketPairs, "a:b", &p) || !p.Clean {
		t.Fatalf("a value written is not read back: %+v", p)
	}
	// Another key's checksum does not fit: a value moved under another key is a miss too.
	c.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPairs)
		v := bytes.Clone(b.Get([]byte("a:b")))
		b.Put([]byte("a:c"), v)
		v[3] ^= 1
		return b.Put([]byte("a:b"), v)
	})
	log := captureWarnings(t, func() {
		if c.get(bucketPairs, "a:b", &p) || c.get(bucketPairs, "a:c", &p) {
			t.Error("a damaged or moved value was read as a verdict")
		}
	})
	if !strings.Contains(log, "damaged") {
		t.Errorf("no warning: %s", log)
	}
	c.Close()
	if _, err := os.Stat(filepath.Join(dir, CacheFile+".broken")); err != nil {
		t.Errorf("the damaged cache was not set aside: %v", err)
	}
}

// FuzzCacheValue: whatever bytes a cache holds, reading them never panics, and only
// bytes that carry their key's checksum decode.
func FuzzCacheValue(f *testing.F) {
	f.Add([]byte(`{"a":"x","b":"y","clean":true}`))
	f.Add([]byte("a.go\x00\x00dir\x00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, raw := range [][]byte{data, seal("k", bytes.Clone(data))} {
			body, ok := unseal("k", raw)
			if !ok {
				continue
			}
			var p Pair
			decodeValue(body, &p)
			var cs ChangeSet
			decodeValue(body, &cs)
			var ids []string
			if decodeValue(body, &ids) {
				parseHashes(ids)
			}
		}
		if _, ok := unseal("other", seal("k", bytes.Clone(data))); ok && len(data) > 0 {
			t.Skip("crc32 collision") // possible in principle; never for the seeds
		}
	})
}
