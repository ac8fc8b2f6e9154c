package radar

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// packIndex reads a pack's .idx file (version 2) in place: an object's position by a
// binary search of the sorted ids, its offset in the pack from there. go-git's own index
// (idxfile.MemoryIndex) copies every object id on load and, on the first read of a delta
// stored against an offset, builds a map from every offset to its id: on git.git (some
// 400,000 objects) about a third of a second before the first commit is read, which a
// run that reads a few hundred objects never earns back. packReader needs neither.
type packIndex struct {
	data  []byte // the whole .idx file (see mapFile)
	unmap func() error
	n     int
	names []byte // n object ids, sorted
	offs  []byte // n 31-bit offsets, or indexes into large
	large []byte // 64-bit offsets
}

// hashSize is the length of an object id (SHA-1, the only hash go-git v5 reads).
const hashSize = len(plumbing.Hash{})

var errNotIdx2 = errors.New("not a version 2 pack index")

// openPackIndex reads idxPath and checks its layout and that it indexes the pack named
// pack.
func openPackIndex(idxPath string, pack plumbing.Hash) (*packIndex, error) {
	data, unmap, err := mapFile(idxPath)
	if err != nil {
		return nil, err
	}
	x, err := parsePackIndex(idxPath, data, pack)
	if err != nil {
		unmap()
		return nil, err
	}
	x.unmap = unmap
	return x, nil
}

// close releases the index's file; nothing may read it after.
func (x *packIndex) close() error { return x.unmap() }

// parsePackIndex checks an index's layout and that it indexes pack.
func parsePackIndex(idxPath string, data []byte, pack plumbing.Hash) (*packIndex, error) {
	const head = 8 + 256*4
	if len(data) < head+2*hashSize || !bytes.Equal(data[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		return nil, fmt.Errorf("%s: %w", idxPath, errNotIdx2)
	}
	prev := uint32(0)
	for i := 0; i < 256; i++ {
		f := binary.BigEndian.Uint32(data[8+4*i:])
		if f < prev {
			return nil, fmt.Errorf("%s: fan-out table not sorted", idxPath)
		}
		prev = f
	}
	n := int(prev)
	rest := len(data) - head - 2*hashSize - n*(hashSize+8)
	if rest < 0 || rest%8 != 0 {
		return nil, fmt.Errorf("%s: %d bytes do not fit %d objects", idxPath, len(data), n)
	}
	x := &packIndex{data: data, n: n}
	p := head
	x.names, p = data[p:p+n*hashSize], p+n*hashSize
	p += 4 * n // CRC-32s
	x.offs, p = data[p:p+4*n], p+4*n
	x.large = data[p : p+rest]
	if sum := data[p+rest : p+rest+hashSize]; !bytes.Equal(sum, pack[:]) {
		return nil, fmt.Errorf("%s: indexes pack %x, not %s", idxPath, sum, pack)
	}
	return x, nil
}

// fanout is the number of objects whose id starts with a byte below b.
func (x *packIndex) fanout(b int) int {
	if b == 0 {
		return 0
	}
	return int(binary.BigEndian.Uint32(x.data[8+4*(b-1):]))
}

// position is where h is among the sorted ids, or -1.
func (x *packIndex) position(h plumbing.Hash) int {
	lo, hi := x.fanout(int(h[0])), x.fanout(int(h[0])+1)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch bytes.Compare(h[:], x.name(mid)) {
		case 0:
			return mid
		case 1:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

func (x *packIndex) name(i int) []byte {
	return x.names[i*hashSize : (i+1)*hashSize]
}

// offset is the pack offset of the object at position i.
func (x *packIndex) offset(i int) (uint64, error) {
	o := binary.BigEndian.Uint32(x.offs[4*i:])
	if o&(1<<31) == 0 {
		return uint64(o), nil
	}
	k := int(o&^(1<<31)) * 8
	if k+8 > len(x.large) {
		return 0, fmt.Errorf("%w: 64-bit offset %d out of range", idxfile.ErrMalformedIdxFile, k/8)
	}
	return binary.BigEndian.Uint64(x.large[k:]), nil
}
