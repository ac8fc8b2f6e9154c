package ledger

import (
	"crypto/rand"
	"time"

	"github.com/oklog/ulid/v2"
)

// entropy is the random part of record ids: crypto/rand, incremented within one millisecond
// so ids made in the same millisecond by this process still sort in creation order. The
// locked reader makes it safe for concurrent use.
var entropy = &ulid.LockedMonotonicReader{MonotonicReader: ulid.Monotonic(rand.Reader, 0)}

// NewID returns a ULID (26 Crockford base32 characters): 48 bits of milliseconds since the
// epoch then 80 random bits. Ids sort by time as strings; within one millisecond in one
// process the random part is incremented so they still sort in creation order. Across
// processes and machines the random bits make a collision practically impossible.
func NewID(t time.Time) string {
	return ulid.MustNew(ulid.Timestamp(t), entropy).String()
}
