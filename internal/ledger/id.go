package ledger

import (
	"crypto/rand"
	"sync"
	"time"
)

// crockford is the base32 alphabet of ULIDs: digits and upper-case letters without I, L, O, U,
// so ids sort as strings in the order of their time.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var (
	idMu   sync.Mutex
	lastMS int64
	lastRD [10]byte
)

// NewID returns a ULID-shaped id (26 characters): 48 bits of milliseconds since the epoch then
// 80 random bits. Ids sort by time as strings; within one millisecond in one process the random
// part is incremented so they still sort in creation order. Across processes and machines the
// random bits make a collision practically impossible.
func NewID(t time.Time) string {
	ms := t.UnixMilli()
	idMu.Lock()
	var rnd [10]byte
	if ms <= lastMS {
		ms = lastMS
		rnd = lastRD
		for i := len(rnd) - 1; i >= 0; i-- { // increment, carrying
			rnd[i]++
			if rnd[i] != 0 {
				break
			}
		}
	} else {
		_, _ = rand.Read(rnd[:])
	}
	lastMS, lastRD = ms, rnd
	idMu.Unlock()

	var b [16]byte // 6 bytes of time + 10 random = 128 bits
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	copy(b[6:], rnd[:])
	return encode(b)
}

// encode writes 128 bits as 26 Crockford base32 characters (the first carries 3 bits).
func encode(b [16]byte) string {
	var out [26]byte
	// Treat b as a 130-bit number padded with two leading zero bits.
	var acc uint64
	bits := 2 // the padding
	j := 0
	for _, c := range b {
		acc = acc<<8 | uint64(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[j] = crockford[(acc>>uint(bits))&31]
			j++
		}
	}
	return string(out[:])
}
