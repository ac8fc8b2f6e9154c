package radar

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// checkBoltFile passes what bbolt can map safely and names what it cannot: a file
// shorter than its meta pages say, or no valid meta page at all.
func TestCheckBoltFile(t *testing.T) {
	dir := t.TempDir()
	sound := filepath.Join(dir, "sound.db")
	db, err := bolt.Open(sound, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), bytes.Repeat([]byte("v"), 64<<10))
	})
	db.Close()
	data, err := os.ReadFile(sound)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, path, wantErr string
	}{
		{"missing", filepath.Join(dir, "none.db"), ""},
		{"empty", write("empty.db", nil), ""},
		{"sound", sound, ""},
		{"truncated", write("short.db", data[:len(data)/2]), "truncated"},
		{"not a bolt file", write("text.db", bytes.Repeat([]byte("not a bolt file "), 1000)), "no valid meta page"},
		{"shorter than a meta page", write("tiny.db", data[:40]), "no valid meta page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkBoltFile(tc.path)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("checkBoltFile = %v, want %q", err, tc.wantErr)
			}
		})
	}
	// A damaged second meta page is survivable: the first one is read.
	half := bytes.Clone(data)
	copy(half[os.Getpagesize()+16:], "garbage!")
	if err := checkBoltFile(write("one-meta.db", half)); err != nil {
		t.Errorf("with one good meta page: %v", err)
	}
}
