package radar

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// packIndex reads a pack's .idx file (version 2) in place, for go-git's packfile reader.
//
// go-git's own index (idxfile.MemoryIndex) copies every object id on load and, on the
// first read of a delta stored against an offset (OFS_DELTA, the common kind), builds a
// map from every object's offset to its id: on git.git (some 400,000 objects) that is
// about a third of a second before the first commit is read, which a run that reads a few
// hundred objects (a pull request's check of one pair) never earns back. packIndex finds an
// id by offset with a binary search over the objects in pack order instead: the pack's
// reverse index (.rev, which git writes beside the .idx) when there is one, else an order
// computed on the first such search by a radix sort of the offsets (milliseconds).
type packIndex struct {
	data    []byte // the whole .idx file (see mapFile)
	unmap   func() error
	n       int
	names   []byte // n object ids, sorted
	crcs    []byte // n CRC-32s
	offs    []byte // n 31-bit offsets, or indexes into large
	large   []byte // 64-bit offsets
	revPath string
	// ownRevPath is where kickoff keeps the reverse index it sorted, for the next run
	// (see byOffset); empty for packs it must not write beside (an alternate's).
	ownRevPath string

	revOnce  sync.Once
	rev      []uint32 // object positions in pack order, sorted here (see byOffset)
	revFile  []byte   // or the positions of the mapped .rev file, 4 bytes each
	revUnmap func() error
	revErr   error
}

var _ idxfile.Index = (*packIndex)(nil)

// hashSize is the length of an object id (SHA-1, the only hash go-git v5 reads).
const hashSize = len(plumbing.Hash{})

var errNotIdx2 = errors.New("not a version 2 pack index")

// openPackIndex reads idxPath and checks its layout and that it indexes the pack named
// pack. revPath is the pack's reverse index, used if it exists and fits.
func openPackIndex(idxPath, revPath string, pack plumbing.Hash) (*packIndex, error) {
	data, unmap, err := mapFile(idxPath)
	if err != nil {
		return nil, err
	}
	x, err := parsePackIndex(idxPath, data, pack)
	if err != nil {
		unmap()
		return nil, err
	}
	x.revPath, x.unmap = revPath, unmap
	return x, nil
}

// close releases the index's file; nothing may read it after.
func (x *packIndex) close() error {
	if x.revUnmap != nil {
		x.revUnmap()
	}
	return x.unmap()
}

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
	x.crcs, p = data[p:p+4*n], p+4*n
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

func (x *packIndex) Contains(h plumbing.Hash) (bool, error) { return x.position(h) >= 0, nil }

func (x *packIndex) FindOffset(h plumbing.Hash) (int64, error) {
	i := x.position(h)
	if i < 0 {
		return 0, plumbing.ErrObjectNotFound
	}
	o, err := x.offset(i)
	return int64(o), err
}

func (x *packIndex) FindCRC32(h plumbing.Hash) (uint32, error) {
	i := x.position(h)
	if i < 0 {
		return 0, plumbing.ErrObjectNotFound
	}
	return binary.BigEndian.Uint32(x.crcs[4*i:]), nil
}

// FindHash finds the object at offset o by a binary search in pack order.
func (x *packIndex) FindHash(o int64) (plumbing.Hash, error) {
	if err := x.byOffset(); err != nil {
		return plumbing.ZeroHash, err
	}
	lo, hi := 0, x.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		i, err := x.inPackOrder(mid)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		off, err := x.offset(i)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch {
		case off == uint64(o):
			return plumbing.Hash(x.name(i)), nil
		case off < uint64(o):
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return plumbing.ZeroHash, plumbing.ErrObjectNotFound
}

func (x *packIndex) Count() (int64, error) { return int64(x.n), nil }

func (x *packIndex) Entries() (idxfile.EntryIter, error) {
	return &packEntries{x: x, next: func(k int) (int, error) { return k, nil }}, nil
}

func (x *packIndex) EntriesByOffset() (idxfile.EntryIter, error) {
	if err := x.byOffset(); err != nil {
		return nil, err
	}
	return &packEntries{x: x, next: x.inPackOrder}, nil
}

// packEntries lists the objects of an index, the k-th being at position next(k).
type packEntries struct {
	x    *packIndex
	k    int
	next func(k int) (int, error)
}

func (it *packEntries) Next() (*idxfile.Entry, error) {
	if it.k >= it.x.n {
		return nil, io.EOF
	}
	i, err := it.next(it.k)
	if err != nil {
		return nil, err
	}
	it.k++
	o, err := it.x.offset(i)
	if err != nil {
		return nil, err
	}
	return &idxfile.Entry{Hash: plumbing.Hash(it.x.name(i)), CRC32: binary.BigEndian.Uint32(it.x.crcs[4*i:]), Offset: o}, nil
}

func (it *packEntries) Close() error { it.k = it.x.n; return nil }

// byOffset prepares the list of positions in pack order (see inPackOrder), once: the
// pack's .rev file when it is there and fits this index (git writes one when
// pack.writeReverseIndex is set), else the one kickoff kept from an earlier run, else a
// sort of the offsets, which kickoff then keeps (git 2.39 writes none by default, and
// the sort is a third of a re-run's reads on a pack of 90,000 objects).
func (x *packIndex) byOffset() error {
	x.revOnce.Do(func() {
		if x.mapRev(x.revPath, false) || x.mapRev(x.ownRevPath, true) {
			return
		}
		x.rev, x.revErr = x.sortOffsets()
		if x.revErr == nil && x.ownRevPath != "" {
			if err := x.keepRev(); err != nil {
				slog.Debug("reverse index not kept", "file", x.ownRevPath, "err", err)
			}
		}
	})
	return x.revErr
}

// keepRev writes the sorted positions as a git reverse index (see mapRev) at
// ownRevPath, through a temporary file renamed into place: a reader sees all of it or
// none. Its checksum is git's (SHA-1 of what precedes it).
func (x *packIndex) keepRev() error {
	b := make([]byte, 0, 12+4*x.n+2*hashSize)
	b = append(b, 'R', 'I', 'D', 'X', 0, 0, 0, 1, 0, 0, 0, 1)
	for _, pos := range x.rev {
		b = binary.BigEndian.AppendUint32(b, pos)
	}
	b = append(b, x.data[len(x.data)-2*hashSize:len(x.data)-hashSize]...)
	sum := sha1.Sum(b)
	b = append(b, sum[:]...)
	dir := filepath.Dir(x.ownRevPath)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".rev-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), x.ownRevPath); err != nil {
		os.Remove(f.Name())
		return err
	}
	// Packs a repack removed leave their kept files behind: those go now.
	if x.revPath != "" {
		kept, _ := filepath.Glob(filepath.Join(dir, "pack-*.rev"))
		for _, k := range kept {
			pack := filepath.Join(filepath.Dir(x.revPath), strings.TrimSuffix(filepath.Base(k), ".rev")+".pack")
			if _, err := os.Stat(pack); errors.Is(err, fs.ErrNotExist) {
				os.Remove(k)
			}
		}
	}
	return nil
}

// inPackOrder is the position of the k-th object in pack order (byOffset first).
func (x *packIndex) inPackOrder(k int) (int, error) {
	if x.rev != nil {
		return int(x.rev[k]), nil
	}
	i := int(binary.BigEndian.Uint32(x.revFile[4*k:]))
	if i >= x.n {
		return 0, fmt.Errorf("%w: %s lists position %d of %d objects", idxfile.ErrMalformedIdxFile, x.revPath, i, x.n)
	}
	return i, nil
}

// mapRev maps a reverse index (git's .rev, version 1, SHA-1): "RIDX", version, hash id, a
// position per object in pack order, then the pack's checksum and its own. It says false
// when the file is absent or does not belong to this index. A file kickoff wrote
// (checkOrder) is untrusted like the rest of its state: every position must exist and
// the offsets must rise in its order, or it is not used (a wrong order would only make
// FindHash miss, but a miss fails the read).
func (x *packIndex) mapRev(path string, checkOrder bool) bool {
	if path == "" {
		return false
	}
	data, unmap, err := mapFile(path)
	if err != nil {
		return false
	}
	pack := x.data[len(x.data)-2*hashSize : len(x.data)-hashSize]
	if len(data) != 12+4*x.n+2*hashSize ||
		!bytes.Equal(data[:12], []byte{'R', 'I', 'D', 'X', 0, 0, 0, 1, 0, 0, 0, 1}) ||
		!bytes.Equal(data[12+4*x.n:12+4*x.n+hashSize], pack) {
		unmap()
		return false
	}
	if checkOrder && !x.inOrder(data[12:12+4*x.n]) {
		unmap()
		return false
	}
	x.revFile, x.revUnmap = data[12:12+4*x.n], unmap
	return true
}

// inOrder says whether positions (4 bytes each) name every object once, by rising offset.
func (x *packIndex) inOrder(positions []byte) bool {
	var last uint64
	for k := 0; k < x.n; k++ {
		pos := int(binary.BigEndian.Uint32(positions[4*k:]))
		if pos >= x.n {
			return false
		}
		off, err := x.offset(pos)
		if err != nil || k > 0 && off <= last {
			return false
		}
		last = off
	}
	return true
}

// sortOffsets orders the positions by offset. Each object becomes one number, its offset
// above its position, sorted by a least-significant-digit radix sort of the offset's 16-bit
// digits (a pass over a digit zero in every offset is skipped: a pack under 4 GiB takes
// two): on git.git's 850,000 objects a few milliseconds where a sort of positions by
// looked-up offsets took ten times as long. A pack past 4 GiB has larger offsets than
// fit beside a position: those are sorted by comparison.
func (x *packIndex) sortOffsets() ([]uint32, error) {
	vals := make([]uint64, x.n)
	var all uint64
	for i := range vals {
		o, err := x.offset(i)
		if err != nil {
			return nil, err
		}
		all |= o
		vals[i] = o<<32 | uint64(i)
	}
	if all>>32 != 0 {
		return x.sortLargeOffsets()
	}
	tmp := make([]uint64, x.n)
	var count [1 << radixBits]int
	for shift := uint(32); shift < 64; shift += radixBits {
		if all>>(shift-32)&(1<<radixBits-1) == 0 {
			continue
		}
		count = [1 << radixBits]int{}
		for _, v := range vals {
			count[v>>shift&(1<<radixBits-1)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, v := range vals {
			d := v >> shift & (1<<radixBits - 1)
			tmp[count[d]] = v
			count[d]++
		}
		vals, tmp = tmp, vals
	}
	rev := make([]uint32, x.n)
	for k, v := range vals {
		rev[k] = uint32(v)
	}
	return rev, nil
}

// radixBits is the digit of sortOffsets.
const radixBits = 16

// sortLargeOffsets orders the positions of a pack past 4 GiB by offset.
func (x *packIndex) sortLargeOffsets() ([]uint32, error) {
	type entry struct {
		off uint64
		pos uint32
	}
	es := make([]entry, x.n)
	for i := range es {
		o, err := x.offset(i)
		if err != nil {
			return nil, err
		}
		es[i] = entry{o, uint32(i)}
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(a.off, b.off) })
	rev := make([]uint32, x.n)
	for k, e := range es {
		rev[k] = e.pos
	}
	return rev, nil
}
