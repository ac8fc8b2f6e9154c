package radar

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// checkBoltFile looks at a bbolt file before bbolt maps it: bbolt trusts its meta page,
// and a file shorter than the meta says (a truncated copy, a full disk) makes it read past
// the end of its memory map, which kills the process rather than failing. The two meta
// pages are checked as bbolt checks them (magic, version, FNV-64a checksum); the newest
// valid one must fit in the file. A missing or empty file is fine: bbolt creates it.
func checkBoltFile(p string) error {
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		return nil
	}
	const headerSize, metaSize = 16, 64 // bbolt's page header, then its meta fields
	var best *boltMeta
	for _, off := range []int64{0, -1} {
		if off < 0 {
			if best == nil {
				// The second meta page sits one page in; the page size is in a valid first.
				return errors.New("no valid meta page (not a bbolt file, or damaged)")
			}
			off = int64(best.pageSize)
		}
		buf := make([]byte, headerSize+metaSize)
		if _, err := f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if m, ok := parseBoltMeta(buf[headerSize:]); ok && (best == nil || m.txid > best.txid) {
			best = m
		}
	}
	if best.pageSize < 512 || best.pageSize > 1<<20 {
		return fmt.Errorf("page size %d", best.pageSize)
	}
	// pgid is read from the file: bound it before multiplying, so a huge one cannot wrap.
	if best.pgid > uint64(st.Size()) || int64(best.pgid)*int64(best.pageSize) > st.Size() {
		return fmt.Errorf("truncated: %d bytes, its meta page counts %d pages of %d", st.Size(), best.pgid, best.pageSize)
	}
	return nil
}

type boltMeta struct {
	pageSize   uint32
	pgid, txid uint64
}

// parseBoltMeta reads a meta page's fields (native byte order, as bbolt writes them on
// the little-endian machines kickoff runs on) and checks them.
func parseBoltMeta(b []byte) (*boltMeta, bool) {
	le := binary.LittleEndian
	const magic, version = 0xED0CDAED, 2
	if le.Uint32(b[0:]) != magic || le.Uint32(b[4:]) != version {
		return nil, false
	}
	h := fnv.New64a()
	h.Write(b[:56])
	if h.Sum64() != le.Uint64(b[56:]) {
		return nil, false
	}
	return &boltMeta{pageSize: le.Uint32(b[8:]), pgid: le.Uint64(b[40:]), txid: le.Uint64(b[48:])}, true
}
