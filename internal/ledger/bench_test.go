package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
)

// referenceStore is the design the reference team ran: one S3 object holding the last 100
// deploys, read and rewritten on every deploy with no condition. It is here only to be
// measured against (scripts/bench-ledger.sh).
type referenceStore struct {
	c      *s3.Client
	bucket string
}

func (r *referenceStore) Append(ctx context.Context, rec Record) error {
	var recs []Record
	out, err := r.c.GetObject(ctx, &s3.GetObjectInput{Bucket: &r.bucket, Key: aws.String("last100.json")})
	if err == nil {
		b, _ := io.ReadAll(out.Body)
		out.Body.Close()
		_ = json.Unmarshal(b, &recs)
	} else if apiCode(err) != "NoSuchKey" {
		return err
	}
	recs = append([]Record{rec}, recs...)
	if len(recs) > 100 {
		recs = recs[:100]
	}
	b, _ := json.Marshal(recs)
	_, err = r.c.PutObject(ctx, &s3.PutObjectInput{Bucket: &r.bucket, Key: aws.String("last100.json"), Body: bytes.NewReader(b)})
	return err
}

func (r *referenceStore) count(ctx context.Context) int {
	out, err := r.c.GetObject(ctx, &s3.GetObjectInput{Bucket: &r.bucket, Key: aws.String("last100.json")})
	if err != nil {
		return 0
	}
	defer out.Body.Close()
	var recs []Record
	b, _ := io.ReadAll(out.Body)
	_ = json.Unmarshal(b, &recs)
	return len(recs)
}

// benchPlace numbers fresh prefixes and buckets across benchmark runs (-count repeats b.N).
var benchPlace atomic.Int64

func benchRecord(i int) Record {
	r := rec(fmt.Sprintf("dev%d", i%4+1), fmt.Sprintf("kickoff-2511%02d-b%d", i%28+1, i), "frontend", "spring", "django")
	r.Issues = []Issue{{Key: fmt.Sprintf("PROJ-%d", i), Summary: "benchmark issue"}}
	return r
}

// BenchmarkAppend measures one deploy record written: to the file ledger, to the s3 ledger
// (record object + conditional last-N update) and to the reference single object.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	b.Run("file", func(b *testing.B) {
		s := NewFileStore(b.TempDir() + "/" + FileName)
		for i := 0; b.Loop(); i++ {
			if _, err := s.Append(ctx, benchRecord(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	srv, err := s3test.New("bench-ours", "bench-ref")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	b.Run("s3", func(b *testing.B) {
		s := &S3Store{Client: srv.Client(), Bucket: "bench-ours", Prefix: fmt.Sprintf("run%d/", benchPlace.Add(1))}
		for i := 0; b.Loop(); i++ {
			if _, err := s.Append(ctx, benchRecord(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("s3-reference", func(b *testing.B) {
		r := &referenceStore{c: srv.Client(), bucket: "bench-ref"}
		for i := 0; b.Loop(); i++ {
			if err := r.Append(ctx, benchRecord(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRace20 has 20 deployers append 5 records each at once, per iteration into a fresh
// place, and reports how many of the 100 records are missing afterwards (lost/op).
func BenchmarkRace20(b *testing.B) {
	ctx := context.Background()
	srv, err := s3test.New("race-ours", "race-ref")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	race := func(appendFn func(i int) error) {
		var wg sync.WaitGroup
		for w := 0; w < 20; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 5; j++ {
					if err := appendFn(w*5 + j); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		wg.Wait()
	}
	b.Run("s3", func(b *testing.B) {
		lost := 0
		for b.Loop() {
			s := &S3Store{Client: srv.Client(), Bucket: "race-ours", Prefix: fmt.Sprintf("race%d/", benchPlace.Add(1))}
			race(func(i int) error { _, err := s.Append(ctx, benchRecord(i)); return err })
			got, err := s.List(ctx, Filter{Limit: -1})
			if err != nil {
				b.Fatal(err)
			}
			lost += 100 - len(got)
		}
		b.ReportMetric(float64(lost)/float64(b.N), "lost/op")
	})
	b.Run("s3-reference", func(b *testing.B) {
		lost := 0
		for b.Loop() {
			bucket := fmt.Sprintf("race-ref-%d", benchPlace.Add(1))
			if err := srv.Backend.CreateBucket(bucket); err != nil {
				b.Fatal(err)
			}
			r := &referenceStore{c: srv.Client(), bucket: bucket}
			race(func(i int) error { return r.Append(ctx, benchRecord(i)) })
			lost += 100 - r.count(ctx)
		}
		b.ReportMetric(float64(lost)/float64(b.N), "lost/op")
	})
}

// BenchmarkSlotLsRequests measures what `slot ls` (and `release --dry-run`, `slot diff`,
// the dashboard's board) reads from an s3 ledger of 100, 1,000 and 10,000 records, each
// iteration a fresh process (a fresh store, nothing cached): S3 requests per read
// (s3-req/op) against the reference, the design before the index (ref-s3-req/op: last.json
// with the newest 100 records, then a listing and a GET of every older record object), and
// the time of both (ns/op, ref-ns/op). scripts/bench-release.sh prints it.
func BenchmarkSlotLsRequests(b *testing.B) {
	ctx := context.Background()
	slots := []string{"dev1", "dev2", "dev3", "dev4"}
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			srv, err := s3test.New(testBucket)
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			prefix := "kickoff/ledger/"
			seedRecords(b, srv, prefix, n)
			fresh := func() *S3Store {
				return &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: prefix, Warn: func(string) {}}
			}
			if _, err := fresh().Replay(ctx); err != nil { // the first reader builds the index
				b.Fatal(err)
			}
			// The reference: last.json (one GET, its records known), then every older record
			// object listed and read, then replayed.
			v, err := fresh().view(ctx)
			if err != nil {
				b.Fatal(err)
			}
			newest := v.idx.Recent[:min(len(v.idx.Recent), 100)]
			refStart := time.Now()
			refReqs := 1 + requests(srv, func() {
				ref := fresh()
				for _, r := range newest {
					ref.seen.Store(ref.recordKey(r.ID), r)
				}
				recs, err := ref.fromRecords(ctx, Filter{Limit: -1})
				if err != nil || len(recs) != n {
					b.Fatalf("reference read: %d records, %v", len(recs), err)
				}
				States(recs, slots, time.Now())
			})
			refTime := time.Since(refStart)
			var reqs int64
			b.ResetTimer()
			for b.Loop() {
				reqs += requests(srv, func() {
					rp, err := fresh().Replay(ctx)
					if err != nil {
						b.Fatal(err)
					}
					rp.States(slots, time.Now())
				})
			}
			b.ReportMetric(float64(reqs)/float64(b.N), "s3-req/op")
			b.ReportMetric(float64(refReqs), "ref-s3-req/op")
			b.ReportMetric(float64(refTime.Nanoseconds()), "ref-ns/op")
		})
	}
}
