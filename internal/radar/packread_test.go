package radar

import (
	"bytes"
	"compress/zlib"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// varint is a delta header size (7 bits a byte, least significant first).
func varint(n uint64) []byte {
	var b []byte
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// applyDelta follows git's delta opcodes, copies of any size the format allows (a size of
// zero is 0x10000; three size bytes reach 16 MiB), and refuses what a damaged delta holds
// without trusting its sizes: a result size far past what its operations make allocates
// nothing big and fails.
func TestApplyDelta(t *testing.T) {
	base := bytes.Repeat([]byte("0123456789abcdef"), 0x2000) // 128 KiB
	head := func(src, dst uint64) []byte { return append(varint(src), varint(dst)...) }
	cases := []struct {
		name  string
		delta []byte
		want  []byte
	}{
		{"insert", append(head(uint64(len(base)), 3), 3, 'x', 'y', 'z'), []byte("xyz")},
		{"copy with offset and size bytes", append(head(uint64(len(base)), 5), 0x80|0x01|0x10, 2, 5), base[2:7]},
		{"copy of size zero is 64 KiB", append(head(uint64(len(base)), 0x10000), 0x80), base[:0x10000]},
		{"copy of 128 KiB in one operation", append(head(uint64(len(base)), 0x20000), 0x80|0x40, 0x02), base},
		{"copy then insert", append(head(uint64(len(base)), 4), 0x80|0x01|0x10, 16, 2, 2, 'x', 'y'), []byte("01xy")},
	}
	for _, c := range cases {
		got, err := applyDelta(base, c.delta)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s: %q (%d bytes), %v; want %d bytes", c.name, got[:min(len(got), 16)], len(got), err, len(c.want))
		}
	}
	bad := []struct {
		name  string
		delta []byte
	}{
		{"wrong base size", append(head(7, 3), 3, 'x', 'y', 'z')},
		{"claims 1 TiB", append(head(uint64(len(base)), 1<<40), 3, 'x', 'y', 'z')},
		{"copy past the base", append(head(uint64(len(base)), 16), 0x80|0x04|0x10, 0x02, 16)},
		{"insert past the delta", append(head(uint64(len(base)), 9), 9, 'x')},
		{"opcode zero", append(head(uint64(len(base)), 1), 0)},
		{"more than it said", append(head(uint64(len(base)), 2), 3, 'x', 'y', 'z')},
		{"truncated copy operand", append(head(uint64(len(base)), 5), 0x80|0x01|0x10, 2)},
		{"no header", []byte{0x80}},
	}
	for _, c := range bad {
		if _, err := applyDelta(base, c.delta); !errors.Is(err, errBadDelta) {
			t.Errorf("%s: %v, want a malformed delta", c.name, err)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	applyDelta(base, bad[1].delta)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > maxPrealloc+1<<20 {
		t.Errorf("a delta claiming 1 TiB allocated %d bytes", n)
	}
}

// An entry whose header claims far more than its stream holds (a damaged size) fails
// with an error naming the pack, without allocating what it claims.
func TestPackEntryWithDamagedSize(t *testing.T) {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write([]byte("hello"))
	w.Close()
	for _, claim := range []uint64{5, 4, 6, 1 << 30, 1 << 40} {
		pack := []byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01")
		hdr := []byte{packBlob<<4 | byte(claim&0x0f)}
		for rest := claim >> 4; rest > 0; rest >>= 7 {
			hdr[len(hdr)-1] |= 0x80
			hdr = append(hdr, byte(rest&0x7f))
		}
		pack = append(append(append(pack, hdr...), z.Bytes()...), make([]byte, hashSize)...)
		path := filepath.Join(t.TempDir(), "pack-test.pack")
		if err := os.WriteFile(path, pack, 0o644); err != nil {
			t.Fatal(err)
		}
		pd, err := openPackData(path)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, data, err := (&packReader{pack: pd, bases: newBaseCache()}).content(12)
		runtime.ReadMemStats(&after)
		pd.close()
		switch {
		case claim == 5 && (err != nil || string(data) != "hello"):
			t.Fatalf("the undamaged entry: %q, %v", data, err) // the test's pack is wrong
		case claim != 5 && (err == nil || !strings.Contains(err.Error(), path)):
			t.Errorf("a blob of 5 bytes read as %d: %q, %v; want an error naming the pack", claim, data, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > maxPrealloc+1<<20 {
			t.Errorf("claiming %d bytes allocated %d", claim, n)
		}
	}
}
