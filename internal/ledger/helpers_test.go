package ledger

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
)

// rec is a successful release of kickoff on slot, changing apps.
func rec(slot, kickoff string, apps ...string) Record {
	r := Record{Action: ActionRelease, Slot: slot, Kickoff: kickoff, Actor: "ann@example.com", Outcome: OutcomeSucceeded}
	for _, a := range apps {
		r.Apps = append(r.Apps, App{Name: a, Kickoff: kickoff, Image: "registry.test/" + a + ":" + kickoff, Changed: true})
	}
	return r
}

// testBucket is the bucket newS3 serves the s3 ledger from.
const testBucket = "kickoff-ledger"

// newS3 is an s3 ledger on a fresh in-memory fake S3.
func newS3(t *testing.T) (*s3test.Server, *S3Store) {
	t.Helper()
	srv, err := s3test.New(testBucket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: "kickoff/ledger"}
}

// getObject reads an object of testBucket: its body and ETag.
func getObject(t *testing.T, c *s3.Client, key string) (string, string) {
	t.Helper()
	return s3test.GetObject(t, c, testBucket, key)
}

// hoursAgo is r as written h hours ago, its id of that time: the s3 index folds records
// older than lateWindow, so tests of folding spread their records over time.
func hoursAgo(r Record, h int) Record {
	r.Time = time.Now().UTC().Add(-time.Duration(h) * time.Hour).Truncate(time.Second)
	r.ID = NewID(r.Time)
	return r
}
