package radar

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// packData is a pack file mapped into memory (see mapFile), read by any number of
// packReaders. Its objects are found through the pack's packIndex.
type packData struct {
	data  []byte
	unmap func() error
	path  string
}

func openPackData(path string) (*packData, error) {
	data, unmap, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 12+hashSize || !bytes.Equal(data[:4], []byte("PACK")) {
		unmap()
		return nil, fmt.Errorf("%s: not a pack file", path)
	}
	return &packData{data: data, unmap: unmap, path: path}, nil
}

func (p *packData) close() error { return p.unmap() }

// Object types as a pack stores them (git's pack-format documentation).
const (
	packCommit   = 1
	packTree     = 2
	packBlob     = 3
	packTag      = 4
	packOFSDelta = 6
	packREFDelta = 7
)

// maxDeltaChain bounds a chain of deltas: git's default depth is 50, its maximum 4095.
const maxDeltaChain = 10000

// packEntry is an object's header in the pack: its stored type, its size (inflated; for
// a delta, the delta's), where its compressed data starts, and for a delta its base
// (an offset in the same pack, or an id).
type packEntry struct {
	typ     byte
	size    uint64
	data    uint64
	baseOff uint64
	baseID  plumbing.Hash
}

// entry reads the header of the object at off.
func (p *packData) entry(off uint64) (packEntry, error) {
	d := p.data
	end := uint64(len(d) - hashSize) // the pack's checksum closes it
	bad := func(what string) (packEntry, error) {
		return packEntry{}, fmt.Errorf("%s: object at offset %d: %s", p.path, off, what)
	}
	if off < 12 || off >= end {
		return bad("offset outside the pack")
	}
	pos := off
	c := d[pos]
	pos++
	e := packEntry{typ: c >> 4 & 7, size: uint64(c & 0x0f)}
	for shift := uint(4); c&0x80 != 0; shift += 7 {
		if pos >= end || shift > 57 {
			return bad("bad size")
		}
		c = d[pos]
		pos++
		e.size |= uint64(c&0x7f) << shift
	}
	switch e.typ {
	case packCommit, packTree, packBlob, packTag:
	case packOFSDelta:
		if pos >= end {
			return bad("truncated delta offset")
		}
		c = d[pos]
		pos++
		back := uint64(c & 0x7f)
		for c&0x80 != 0 {
			if pos >= end || back >= 1<<56 {
				return bad("bad delta offset")
			}
			c = d[pos]
			pos++
			back = (back+1)<<7 | uint64(c&0x7f)
		}
		if back == 0 || back > off {
			return bad("delta base outside the pack")
		}
		e.baseOff = off - back
	case packREFDelta:
		if pos+uint64(hashSize) > end {
			return bad("truncated delta base")
		}
		copy(e.baseID[:], d[pos:pos+uint64(hashSize)])
		pos += uint64(hashSize)
	default:
		return bad(fmt.Sprintf("unknown type %d", e.typ))
	}
	e.data = pos
	return e, nil
}

// inflaters are zlib readers kept for reuse (zlib.Resetter).
var inflaters sync.Pool

// inflate decompresses size bytes of the zlib stream at off; whole: all of it, checked
// to end there with its checksum right (else size bytes from its start).
func (p *packData) inflate(off, size uint64, whole bool) ([]byte, error) {
	if size > uint64(len(p.data))*1032 { // deflate expands at most about 1032 times
		return nil, fmt.Errorf("%s: object at offset %d claims %d bytes", p.path, off, size)
	}
	src := bytes.NewReader(p.data[off : len(p.data)-hashSize])
	var z io.ReadCloser
	if r, ok := inflaters.Get().(io.ReadCloser); ok {
		if err := r.(zlib.Resetter).Reset(src, nil); err == nil {
			z = r
		}
	}
	if z == nil {
		r, err := zlib.NewReader(src)
		if err != nil {
			return nil, fmt.Errorf("%s: object at offset %d: %w", p.path, off, err)
		}
		z = r
	}
	var out []byte
	var err error
	if size <= maxPrealloc {
		out = make([]byte, size)
		_, err = io.ReadFull(z, out)
	} else { // a damaged size must not allocate it ahead: the stream ends first
		var b bytes.Buffer
		b.Grow(maxPrealloc)
		_, err = io.CopyN(&b, z, int64(size))
		out = b.Bytes()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: object at offset %d: %w", p.path, off, err)
	}
	if whole {
		var more [1]byte
		if n, err := z.Read(more[:]); n != 0 || err != io.EOF {
			if err == nil || err == io.EOF {
				err = errors.New("longer than its header says")
			}
			return nil, fmt.Errorf("%s: object at offset %d: %w", p.path, off, err)
		}
	}
	inflaters.Put(z)
	return out, nil
}

// packReader reads one pack's objects for one goroutine: the mapped pack and its index
// are shared, the cache of delta bases is its own.
type packReader struct {
	idx   *packIndex
	pack  *packData
	bases *baseCache
}

// object is the object with id h at position i of the index: its type and size are read
// now (headers only), its content when first read.
func (r *packReader) object(h plumbing.Hash, i int) (plumbing.EncodedObject, error) {
	off, err := r.idx.offset(i)
	if err != nil {
		return nil, err
	}
	typ, size, err := r.info(off)
	if err != nil {
		return nil, err
	}
	return &packedObject{h: h, t: typ, size: int64(size), r: r, off: off}, nil
}

// info reads an object's type and size without its content: for a delta, the type of
// the object at the end of its chain and the size the delta says it makes.
func (r *packReader) info(off uint64) (plumbing.ObjectType, uint64, error) {
	e, err := r.pack.entry(off)
	if err != nil {
		return 0, 0, err
	}
	if e.typ < packOFSDelta {
		return plumbing.ObjectType(e.typ), e.size, nil
	}
	size, err := r.deltaTarget(e)
	if err != nil {
		return 0, 0, err
	}
	for depth := 0; e.typ >= packOFSDelta; depth++ {
		if depth > maxDeltaChain {
			return 0, 0, fmt.Errorf("%s: object at offset %d: delta chain too long", r.pack.path, off)
		}
		base, err := r.baseOf(e)
		if err != nil {
			return 0, 0, err
		}
		if c, ok := r.bases.get(base); ok {
			return c.typ, size, nil
		}
		if e, err = r.pack.entry(base); err != nil {
			return 0, 0, err
		}
	}
	return plumbing.ObjectType(e.typ), size, nil
}

// head inflates the first n bytes (fewer if the object is smaller) of the object at off
// when it is stored whole, not a delta (whole false then): the start of its zlib stream,
// which is not read on to its end and checksum (see readCommit).
func (r *packReader) head(off, n uint64) (data []byte, whole bool, err error) {
	e, err := r.pack.entry(off)
	if err != nil || e.typ >= packOFSDelta {
		return nil, false, err
	}
	data, err = r.pack.inflate(e.data, min(n, e.size), false)
	return data, err == nil, err
}

// deltaTarget reads the size of the object a delta makes, from the start of the delta.
func (r *packReader) deltaTarget(e packEntry) (uint64, error) {
	head, err := r.pack.inflate(e.data, min(e.size, 20), false)
	if err != nil {
		return 0, err
	}
	_, n := deltaSize(head)
	target, m := deltaSize(head[max(n, 0):])
	if n <= 0 || m <= 0 {
		return 0, fmt.Errorf("%s: delta at offset %d: bad header", r.pack.path, e.data)
	}
	return target, nil
}

// baseOf is the offset of a delta's base, which must be in the same pack (git never
// writes a pack whose deltas refer outside it, except a thin pack in transit).
func (r *packReader) baseOf(e packEntry) (uint64, error) {
	if e.typ == packOFSDelta {
		return e.baseOff, nil
	}
	i := r.idx.position(e.baseID)
	if i < 0 {
		return 0, fmt.Errorf("%s: delta base %s is not in the pack", r.pack.path, e.baseID)
	}
	return r.idx.offset(i)
}

// content reads the object at off whole, resolving deltas: the chain is followed down to
// an object stored whole or a base in the cache, then the deltas are applied back up,
// each result kept as a base for the objects read after it.
func (r *packReader) content(off uint64) (plumbing.ObjectType, []byte, error) {
	type link struct {
		off uint64
		e   packEntry
	}
	var chain []link
	var typ plumbing.ObjectType
	var data []byte
	cur := off
	for {
		if c, ok := r.bases.get(cur); ok {
			typ, data = c.typ, c.data
			break
		}
		if len(chain) > maxDeltaChain {
			return 0, nil, fmt.Errorf("%s: object at offset %d: delta chain too long", r.pack.path, off)
		}
		e, err := r.pack.entry(cur)
		if err != nil {
			return 0, nil, err
		}
		if e.typ < packOFSDelta {
			if data, err = r.pack.inflate(e.data, e.size, true); err != nil {
				return 0, nil, err
			}
			typ = plumbing.ObjectType(e.typ)
			r.bases.put(cur, typ, data)
			break
		}
		chain = append(chain, link{cur, e})
		if cur, err = r.baseOf(e); err != nil {
			return 0, nil, err
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		delta, err := r.pack.inflate(chain[i].e.data, chain[i].e.size, true)
		if err != nil {
			return 0, nil, err
		}
		if data, err = applyDelta(data, delta); err != nil {
			return 0, nil, fmt.Errorf("%s: delta at offset %d: %w", r.pack.path, chain[i].off, err)
		}
		r.bases.put(chain[i].off, typ, data)
	}
	return typ, data, nil
}

var errBadDelta = errors.New("malformed delta")

// maxPrealloc bounds what a stated size (an entry's, a delta's result's) reserves ahead
// of the bytes that make it.
const maxPrealloc = 64 << 20

// deltaSize reads one of a delta's two leading sizes (7 bits a byte, least significant
// first); n is how many bytes it took, 0 when it runs past b.
func deltaSize(b []byte) (size uint64, n int) {
	for shift := uint(0); n < len(b) && shift < 64; shift += 7 {
		c := b[n]
		n++
		size |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return size, n
		}
	}
	return 0, 0
}

// applyDelta makes an object from its base and a delta (git's pack-format: the base's
// size, the result's size, then copies from the base and inserts of new bytes).
func applyDelta(base, delta []byte) ([]byte, error) {
	srcSize, n := deltaSize(delta)
	if n == 0 || srcSize != uint64(len(base)) {
		return nil, errBadDelta
	}
	delta = delta[n:]
	dstSize, n := deltaSize(delta)
	if n == 0 {
		return nil, errBadDelta
	}
	delta = delta[n:]
	// A damaged size must not allocate gigabytes: the result grows with what the
	// operations really make, and must end at the size the delta said.
	out := make([]byte, 0, min(dstSize, maxPrealloc))
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0: // copy from the base
			off, rest, ok := deltaOperand(op, 0, 4, delta)
			size, rest, ok2 := deltaOperand(op, 4, 3, rest)
			if !ok || !ok2 {
				return nil, errBadDelta
			}
			delta = rest
			if size == 0 {
				size = 0x10000
			}
			if off+size > uint64(len(base)) || uint64(len(out))+size > dstSize {
				return nil, errBadDelta
			}
			out = append(out, base[off:off+size]...)
		case op != 0: // insert op bytes
			if int(op) > len(delta) || uint64(len(out))+uint64(op) > dstSize {
				return nil, errBadDelta
			}
			out = append(out, delta[:op]...)
			delta = delta[op:]
		default:
			return nil, errBadDelta
		}
	}
	if uint64(len(out)) != dstSize {
		return nil, errBadDelta
	}
	return out, nil
}

// deltaOperand reads a copy's offset (bits 0-3 of op) or size (bits 4-6): one byte
// follows for each bit set, least significant first, and a clear bit is a zero byte.
func deltaOperand(op byte, first, n uint, delta []byte) (v uint64, rest []byte, ok bool) {
	for k := uint(0); k < n; k++ {
		if op&(1<<(first+k)) != 0 {
			if len(delta) == 0 {
				return 0, nil, false
			}
			v |= uint64(delta[0]) << (8 * k)
			delta = delta[1:]
		}
	}
	return v, delta, true
}

// packedObject is an object of a pack, its content read on the first Reader call.
type packedObject struct {
	h    plumbing.Hash
	t    plumbing.ObjectType
	size int64
	r    *packReader
	off  uint64
}

var _ plumbing.EncodedObject = (*packedObject)(nil)

func (o *packedObject) Hash() plumbing.Hash           { return o.h }
func (o *packedObject) Type() plumbing.ObjectType     { return o.t }
func (o *packedObject) SetType(t plumbing.ObjectType) { o.t = t }
func (o *packedObject) Size() int64                   { return o.size }
func (o *packedObject) SetSize(s int64)               { o.size = s }

func (o *packedObject) Reader() (io.ReadCloser, error) {
	_, data, err := o.r.content(o.off)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func (o *packedObject) Writer() (io.WriteCloser, error) {
	return nil, errors.New("a packed object is read-only")
}

// baseCache keeps objects read whole, by pack offset, as bases for the deltas read
// after them (git's delta base cache): up to baseCacheBytes, the oldest put dropped
// first. Safe for concurrent use.
type baseCache struct {
	mu    sync.Mutex
	m     map[uint64]cachedBase
	order []uint64
	bytes int
}

type cachedBase struct {
	typ  plumbing.ObjectType
	data []byte
}

// baseCacheBytes bounds a reader's cache (a run has one reader, and one more per diff
// worker past the first: up to four); git's core.deltaBaseCacheLimit is 96 MiB a process. git.git's first matrix
// took the same time and peak memory with 16 MiB as with 64 (2.8 s, 155 MB).
const baseCacheBytes = 32 << 20

func newBaseCache() *baseCache { return &baseCache{m: map[uint64]cachedBase{}} }

func (c *baseCache) get(off uint64) (cachedBase, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[off]
	return b, ok
}

// put keeps data as the object at off. An object larger than a quarter of the cache is
// not kept.
func (c *baseCache) put(off uint64, typ plumbing.ObjectType, data []byte) {
	if len(data) > baseCacheBytes/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[off]; ok {
		return
	}
	for c.bytes+len(data) > baseCacheBytes && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= len(c.m[old].data)
		delete(c.m, old)
	}
	c.m[off] = cachedBase{typ, data}
	c.order = append(c.order, off)
	c.bytes += len(data)
}
