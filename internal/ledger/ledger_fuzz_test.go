package ledger

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
)

// replay runs what every reader of the ledger does with records: slot states, their
// differences and the Jira comments a deploy makes. Records come from a shared file or
// bucket, so none of it may panic on any record.
func replay(t *testing.T, recs []Record) {
	t.Helper()
	now := time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)
	states := States(recs, []string{"dev1", "dev2"}, now)
	for i, r := range recs {
		before := States(recs[:i], nil, now)
		after := States(recs[:i+1], nil, now)
		b, _ := State(before, r.Slot)
		a, _ := State(after, r.Slot)
		Diff(b, a)
		DeployComments(b, a, r)
	}
	_ = states
}

// FuzzFileLedger: any bytes in ledger.jsonl read as the records that parse, with a
// warning for the others, and replay without a panic.
func FuzzFileLedger(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), FileName)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s := NewFileStore(path)
		s.Warn = func(string) {}
		recs, err := s.All(context.Background())
		if err != nil {
			t.Fatalf("a regular file that reads is an error: %v", err)
		}
		if lines := strings.Count(string(data), "\n") + 1; len(recs) > lines {
			t.Fatalf("%d records from %d lines", len(recs), lines)
		}
		for _, r := range recs {
			if r.ID == "" {
				t.Fatalf("a record without an id was read: %+v", r)
			}
		}
		replay(t, recs)
		if _, err := s.List(context.Background(), Filter{Slot: "dev1", Limit: -1}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzS3Ledger: any bytes in the bucket's index and in a record object read as records
// (rebuilding the index from the record objects when it is damaged) and replay without a
// panic.
func FuzzS3Ledger(f *testing.F) {
	srv, err := s3test.New(testBucket)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, last, record []byte) {
		ctx := context.Background()
		client := srv.Client()
		s := &S3Store{Client: client, Bucket: testBucket, Prefix: "fuzz", Keep: 5, Warn: func(string) {}}
		for key, body := range map[string][]byte{s.indexKey(): last, s.recordKey("01HZZZZZZZZZZZZZZZZZZZZZZZ"): record} {
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), Body: strings.NewReader(string(body))}); err != nil {
				t.Fatal(err)
			}
		}
		recs, err := s.List(ctx, Filter{Limit: -1})
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		for _, r := range recs {
			if r.check() != nil {
				t.Fatalf("a record that does not validate was read: %+v", r)
			}
		}
		replay(t, recs)
		rp, err := s.Replay(ctx)
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		rp.States(nil, time.Now())
	})
}
