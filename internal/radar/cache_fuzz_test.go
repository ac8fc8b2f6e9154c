package radar

import (
	"encoding/binary"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCacheHeader: whatever the meta pages of radar.db say (the file is in the state
// directory, and a truncated copy or a full disk damages it), opening the cache returns a
// cache or an error; it never takes the process down. The meta pages carry a checksum no
// random input matches, so the fuzzer chooses their fields and the test seals them, on a
// real cache file or on garbage, cut to any length.
func FuzzCacheHeader(f *testing.F) {
	dir := f.TempDir()
	c, err := openCache(dir)
	if err != nil {
		f.Fatal(err)
	}
	c.Close()
	real, err := os.ReadFile(filepath.Join(dir, CacheFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fromReal bool, pageSize uint32, pgid, txid, root, freelist uint64, size uint32, garbage []byte) {
		n := int(size % (1 << 17))
		buf := make([]byte, n)
		if fromReal {
			copy(buf, real)
		} else if len(garbage) > 0 {
			for i := 0; i < n; i += copy(buf[i:], garbage) {
			}
		}
		sealMeta(buf, 0, pageSize, pgid, txid, root, freelist)
		if pageSize > 0 && uint64(pageSize) < uint64(n) {
			sealMeta(buf, int(pageSize), pageSize, pgid, txid-1, root, freelist)
		}
		p := filepath.Join(t.TempDir(), CacheFile)
		if err := os.WriteFile(p, buf, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := tryOpenCache(p)
		if err != nil {
			return
		}
		var pr Pair
		c.get(bucketPairs, "a:b", &pr)
		c.Close()
	})
}

// sealMeta writes a bbolt meta page at off (page header, then magic, version 2, page size,
// root bucket, free list, high-water page id, transaction id and the FNV-64a checksum), as
// far as buf holds it.
func sealMeta(buf []byte, off int, pageSize uint32, pgid, txid, root, freelist uint64) {
	var m [16 + 64]byte
	le := binary.LittleEndian
	le.PutUint16(m[8:], 0x04) // meta page flag
	b := m[16:]
	le.PutUint32(b[0:], 0xED0CDAED)
	le.PutUint32(b[4:], 2)
	le.PutUint32(b[8:], pageSize)
	le.PutUint64(b[16:], root)
	le.PutUint64(b[32:], freelist)
	le.PutUint64(b[40:], pgid)
	le.PutUint64(b[48:], txid)
	h := fnv.New64a()
	h.Write(b[:56])
	le.PutUint64(b[56:], h.Sum64())
	if off < len(buf) {
		copy(buf[off:], m[:])
	}
}
