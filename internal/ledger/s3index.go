package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/oklog/ulid/v2"

	"github.com/kickoffhq/kickoff/internal/retry"
)

// The s3 ledger's index (<prefix>index.json) makes a state read cost two requests whatever
// the ledger's size: the index, and one listing of the record objects written since. It is
// a cache of the record objects, which stay the truth, and untrusted input: an index that is
// missing, damaged or inconsistent is rebuilt from the record objects, with a warning, and
// written back.
const (
	indexFormat = 1
	// lateWindow is how far back from the newest record a reader lists record objects, to
	// find records written after the index was (a writer in flight, one that died between
	// its record and the index, an older kickoff writing records only, a clock behind). The
	// index keeps every record of this window in full, so one listing tells what it lacks.
	lateWindow = 15 * time.Minute
	// inFlight is how old a record missing from the index must be before a reader writes
	// it in: younger, its writer is likely adding it right now.
	inFlight = time.Minute
	// maxRecordSize and maxIndexSize bound what is read from the bucket.
	maxRecordSize = 1 << 20
	maxIndexSize  = 64 << 20
)

// s3Index is the index object: Base folds every record up to Base.Through, and Recent holds
// the records after it, newest first: at least the newest Keep and every record within
// lateWindow of the newest.
type s3Index struct {
	Format int      `json:"format"`
	Base   Replay   `json:"base"`
	Recent []Record `json:"recent"`
}

// view is the index as read, plus the records it lacked.
type view struct {
	idx  s3Index
	etag string // of the stored index; "" when there is none
	// stale says the view holds what the stored index lacks, worth writing back.
	stale bool
	// rebuilt says it comes from every record object, not from a stored index.
	rebuilt bool
}

func (s *S3Store) indexKey() string { return s.prefix() + "index.json" }

func isULID(id string) bool {
	_, err := ulid.ParseStrict(id)
	return err == nil
}

func idTime(id string) time.Time {
	u, err := ulid.ParseStrict(id)
	if err != nil {
		return time.Time{}
	}
	return ulid.Time(u.Time())
}

// newest is the id of the newest record the index knows.
func (x *s3Index) newest() string {
	if len(x.Recent) > 0 {
		return x.Recent[0].ID
	}
	return x.Base.Through
}

// check holds an index read from the bucket to the rules records are held to, and to its
// own shape: a format it knows, the records after Base.Through newest first, each once.
func (x *s3Index) check() error {
	if x.Format != indexFormat {
		return fmt.Errorf("format %d is not %d", x.Format, indexFormat)
	}
	if x.Base.Through != "" && !isULID(x.Base.Through) {
		return fmt.Errorf("base id %q is not a ULID", x.Base.Through)
	}
	if err := x.Base.check(); err != nil {
		return fmt.Errorf("base: %w", err)
	}
	prev := ""
	for _, r := range x.Recent {
		if err := r.check(); err != nil {
			return fmt.Errorf("record %q: %w", r.ID, err)
		}
		if !isULID(r.ID) || r.ID <= x.Base.Through || (prev != "" && r.ID >= prev) {
			return fmt.Errorf("record %q is out of place", r.ID)
		}
		prev = r.ID
	}
	return nil
}

// insert adds r to Recent in id order; false when it is there already.
func (x *s3Index) insert(r Record) bool {
	i, found := slices.BinarySearchFunc(x.Recent, r.ID, func(a Record, id string) int { return strings.Compare(id, a.ID) })
	if found {
		return false
	}
	x.Recent = slices.Insert(x.Recent, i, r)
	return true
}

// compact folds the oldest of Recent into Base while more than keep remain and the oldest
// is outside lateWindow of the newest.
func (x *s3Index) compact(keep int) {
	for len(x.Recent) > keep {
		oldest := x.Recent[len(x.Recent)-1]
		if !idTime(oldest.ID).Before(idTime(x.Recent[0].ID).Add(-lateWindow)) {
			return
		}
		x.Base.Add(oldest)
		x.Recent = x.Recent[:len(x.Recent)-1]
	}
}

// readIndex reads the stored index: ok false when there is none or it is damaged (warned),
// etag "" when there is none.
func (s *S3Store) readIndex(ctx context.Context) (idx s3Index, etag string, ok bool, err error) {
	out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: aws.String(s.indexKey())})
	if err != nil {
		if apiCode(err) == "NoSuchKey" {
			return idx, "", false, nil
		}
		return idx, "", false, s.explain(err, "read the ledger index")
	}
	defer out.Body.Close()
	etag = aws.ToString(out.ETag)
	data, err := io.ReadAll(io.LimitReader(out.Body, maxIndexSize+1))
	if err != nil {
		return idx, "", false, fmt.Errorf("read s3://%s/%s: %w", s.Bucket, s.indexKey(), err)
	}
	switch {
	case len(data) > maxIndexSize:
		err = fmt.Errorf("larger than %d bytes", maxIndexSize)
	default:
		if err = json.Unmarshal(data, &idx); err == nil {
			err = idx.check()
		}
	}
	if err != nil {
		s.warn(fmt.Sprintf("ledger index s3://%s/%s is damaged (%v); rebuilding it from the record objects", s.Bucket, s.indexKey(), err))
		return s3Index{}, etag, false, nil
	}
	return idx, etag, true, nil
}

// view reads the index and the records written since (one listing from lateWindow before
// its newest record, and the objects it lacks). A missing or damaged index, or a record
// older than its base, means a rebuild from every record object.
func (s *S3Store) view(ctx context.Context) (view, error) {
	v, err := s.read(ctx, "")
	if err != nil || !v.stale {
		return v, err
	}
	// Write back what this reader found, when another writer does not own it: a failure
	// (read-only credentials, a lost race) leaves the next reader the same work.
	if err := s.writeIndex(ctx, v); err != nil {
		slog.Debug("ledger index not repaired", "err", err)
	}
	return v, nil
}

// read is view's reading; own is the id of the record this process is adding (it is not
// news to it).
func (s *S3Store) read(ctx context.Context, own string) (view, error) {
	idx, etag, ok, err := s.readIndex(ctx)
	if err != nil {
		return view{}, err
	}
	if !ok {
		return s.rebuild(ctx, etag, etag == "", own)
	}
	v := view{idx: idx, etag: etag}
	startAfter := ""
	if n := idx.newest(); n != "" {
		// A key just before every record of the window: a ULID's first ten characters are
		// its time, and any character of its random part sorts after the end of the prefix.
		from := ulid.MustNew(ulid.Timestamp(idTime(n).Add(-lateWindow)), zeroEntropy{}).String()
		startAfter = s.recordsPrefix() + from[:10]
	}
	keys, err := s.listKeys(ctx, startAfter)
	if err != nil {
		return view{}, err
	}
	known := make(map[string]bool, len(idx.Recent))
	for _, r := range idx.Recent {
		known[s.recordKey(r.ID)] = true
	}
	var missing []string
	for _, k := range keys {
		if !known[k] {
			missing = append(missing, k)
		}
	}
	recs, err := s.getRecords(ctx, missing)
	if err != nil {
		return view{}, err
	}
	for _, r := range recs {
		if r.ID <= idx.Base.Through {
			s.warn(fmt.Sprintf("ledger record %s is older than what the index s3://%s/%s has folded (a clock behind?); rebuilding the index from the record objects", r.ID, s.Bucket, s.indexKey()))
			return s.rebuild(ctx, etag, false, own)
		}
		v.idx.insert(r)
		if r.ID != own && time.Since(idTime(r.ID)) > inFlight {
			v.stale = true
			s.warn(fmt.Sprintf("ledger index s3://%s/%s lacked record %s; added it", s.Bucket, s.indexKey(), r.ID))
		}
	}
	return v, nil
}

// zeroEntropy makes the smallest ULID of a millisecond.
type zeroEntropy struct{}

func (zeroEntropy) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// rebuild reads every record object and builds the index from them; fresh says there was
// no index at all (only worth a warning when records other than own exist).
func (s *S3Store) rebuild(ctx context.Context, etag string, fresh bool, own string) (view, error) {
	keys, err := s.listKeys(ctx, "")
	if err != nil {
		return view{}, err
	}
	recs, err := s.getRecords(ctx, keys)
	if err != nil {
		return view{}, err
	}
	v := view{idx: s3Index{Format: indexFormat}, etag: etag, stale: true, rebuilt: true}
	// Records of other writers, and whether one is older than a writer in flight: a new
	// bucket's first deployers racing are no missing index.
	others, settled := 0, false
	for _, r := range recs {
		if r.ID != own {
			others++
			settled = settled || time.Since(idTime(r.ID)) > inFlight
		}
	}
	if fresh && settled {
		what := fmt.Sprintf("%d records", others)
		if others == 1 {
			what = "1 record"
		}
		s.warn(fmt.Sprintf("ledger s3://%s/%s has no index (%s); built it from its %s", s.Bucket, s.prefix(), s.indexKey(), what))
	}
	if fresh && others == 0 && own == "" {
		v.stale = false // nothing to index yet
	}
	for _, r := range recs {
		v.idx.insert(r)
	}
	v.idx.compact(s.keep())
	return v, nil
}

// writeIndex stores v's index if the stored one is still the one v read (If-Match, or
// If-None-Match: * when there was none); a lost race is retry.Again.
func (s *S3Store) writeIndex(ctx context.Context, v view) error {
	body, err := json.Marshal(v.idx)
	if err != nil {
		return fmt.Errorf("encode the ledger index: %w", err)
	}
	in := &s3.PutObjectInput{
		Bucket: &s.Bucket, Key: aws.String(s.indexKey()), Body: bytes.NewReader(body),
		ContentType: aws.String("application/json"),
	}
	if v.etag == "" {
		in.IfNoneMatch = aws.String("*")
	} else {
		in.IfMatch = aws.String(v.etag)
	}
	_, err = s.Client.PutObject(ctx, in)
	switch {
	case err == nil:
		return nil
	case isPrecondition(err):
		return retry.Again(err) // another deployer updated it first
	}
	return s.explain(err, "update the ledger index")
}

// addToIndex adds r (already stored as its object) to the index, reading it again and
// retrying when another deployer wrote it first.
func (s *S3Store) addToIndex(ctx context.Context, r Record) error {
	policy := retry.Race.WithAttempts(s.MaxAttempts)
	_, err := retry.Do(ctx, policy, func(attempt int) (struct{}, error) {
		v, err := s.read(ctx, r.ID)
		if err != nil {
			return struct{}{}, err
		}
		if r.ID <= v.idx.Base.Through && !v.rebuilt {
			// Older than what the index has folded: only a rebuild puts it in its place.
			s.warn(fmt.Sprintf("ledger record %s is older than what the index has folded (a clock behind?); rebuilding the index from the record objects", r.ID))
			if v, err = s.rebuild(ctx, v.etag, false, r.ID); err != nil {
				return struct{}{}, err
			}
		}
		if r.ID > v.idx.Base.Through {
			v.idx.insert(r)
		} // else the rebuild folded it in
		v.idx.compact(s.keep())
		return struct{}{}, s.writeIndex(ctx, v)
	})
	var ex *retry.ExhaustedError
	if errors.As(err, &ex) {
		return fmt.Errorf("update s3://%s/%s: another deployer won the race %d times in a row; run the command again", s.Bucket, s.indexKey(), ex.Attempts)
	}
	return err
}
