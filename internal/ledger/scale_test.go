package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
)

// seedRecords stores n record objects straight into the fake's backend (no requests, no
// index), one every 10 minutes up to an hour ago, over four slots: a ledger of n deploys.
func seedRecords(t testing.TB, srv *s3test.Server, prefix string, n int) {
	t.Helper()
	start := time.Now().Add(-time.Hour - time.Duration(n)*10*time.Minute)
	for i := range n {
		r := benchRecord(i)
		r.Time = start.Add(time.Duration(i) * 10 * time.Minute).UTC()
		r.ID = NewID(r.Time)
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Backend.PutObject(testBucket, prefix+"records/"+r.ID+".json", map[string]string{}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
			t.Fatal(err)
		}
	}
}

// requests is how many S3 requests f made.
func requests(srv *s3test.Server, f func()) int64 {
	before := srv.Requests.Load()
	f()
	return srv.Requests.Load() - before
}

// TestS3StateReadsAreBoundedAtScale: with 10,000 records (and the index built once), what
// `slot ls`, `release --dry-run`, the dashboard and `history -n 20` read costs a handful of
// requests, whatever the ledger's size, and gives what replaying every record gives.
func TestS3StateReadsAreBoundedAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 records")
	}
	ctx := context.Background()
	srv, s := newS3(t)
	const n = 10000
	seedRecords(t, srv, "kickoff/ledger/", n)
	var warned []string
	s.Warn = func(m string) { warned = append(warned, m) }
	// The first reader finds no index, builds it from every record object and writes it.
	if _, err := s.Replay(ctx); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], fmt.Sprintf("built it from its %d records", n)) {
		t.Errorf("warnings = %q", warned)
	}
	// Two deploys since, by another deployer.
	writer := &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix}
	for i := range 2 {
		if _, err := writer.Append(ctx, rec("dev1", fmt.Sprintf("kickoff-261201-new%d", i), "spring")); err != nil {
			t.Fatal(err)
		}
	}
	// Each command is a fresh process: a fresh store, nothing cached.
	fresh := func() *S3Store {
		return &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Warn: func(m string) { t.Error(m) }}
	}
	var rp *Replay
	if got := requests(srv, func() {
		var err error
		if rp, err = fresh().Replay(ctx); err != nil {
			t.Fatal(err)
		}
	}); got > 3 {
		t.Errorf("a state read (slot ls, release --dry-run, the dashboard's board) made %d S3 requests, want at most 3", got)
	}
	all, err := s.List(ctx, Filter{Limit: -1}) // s has read every record object once already
	if err != nil || len(all) != n+2 {
		t.Fatalf("every record: %d, %v", len(all), err)
	}
	want := States(all, []string{"dev1", "dev2", "dev3", "dev4"}, time.Now())
	got := rp.States([]string{"dev1", "dev2", "dev3", "dev4"}, time.Now())
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if !bytes.Equal(wj, gj) {
		t.Errorf("states from the index differ from the full replay:\n got %s\nwant %s", gj, wj)
	}
	for _, c := range []struct {
		name string
		f    Filter
		max  int64
	}{
		{"history -n 20", Filter{Limit: 20}, 2},
		{"history (100, the dashboard's history page)", Filter{}, 2},
		{"history --slot dev3 -n 20", Filter{Slot: "dev3", Limit: 20}, 2 + 20},
		{"the dashboard's slot page (100 of one slot)", Filter{Slot: "dev2"}, 2 + 100},
	} {
		var recs []Record
		if got := requests(srv, func() { recs, err = fresh().List(ctx, c.f) }); err != nil || got > c.max {
			t.Errorf("%s: %d S3 requests (want at most %d), %v", c.name, got, c.max, err)
		}
		wantN := c.f.limit()
		if len(recs) != wantN || !c.f.Match(recs[len(recs)-1]) {
			t.Errorf("%s: %d records, want %d", c.name, len(recs), wantN)
		}
	}
}

// Writers racing while the index folds its oldest records: no record is ever missing from
// what the index tells, and the index's counts add up to every record.
func TestS3ConcurrentAppendersWhileFolding(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	s.Keep = 3
	const writers, each = 8, 6
	errs := make(chan error, writers*each)
	done := make(chan struct{})
	for w := range writers {
		go func() {
			defer func() { done <- struct{}{} }()
			st := &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Keep: 3, Warn: func(string) {}}
			for j := range each {
				// Spread over hours, so the index folds while they race.
				r := hoursAgo(rec(fmt.Sprintf("dev%d", w%3+1), fmt.Sprintf("w%d-%d", w, j), "spring"), (each-j)*writers-w)
				if _, err := st.Append(ctx, r); err != nil {
					errs <- err
				}
			}
		}()
	}
	for range writers {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/index.json")
	var idx s3Index
	if err := json.Unmarshal([]byte(body), &idx); err != nil || idx.check() != nil {
		t.Fatalf("index: %v %v", err, idx.check())
	}
	total := len(idx.Recent)
	for _, sf := range idx.Base.Slots {
		total += sf.Count
	}
	if total != writers*each {
		t.Errorf("the index accounts for %d records, want %d", total, writers*each)
	}
	got, err := (&S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix}).List(ctx, Filter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != writers*each {
		t.Errorf("%d records listed, want %d", len(got), writers*each)
	}
	t.Logf("conditional writes refused during the race (then retried): %d", srv.PreconditionFailures.Load())
}

// A deployer whose clock is far behind writes a record older than what the index has
// folded: it is put in its place by a rebuild (with a warning), never dropped.
func TestS3RecordOlderThanTheIndexBaseIsNotDropped(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	s.Keep = 2
	for i := range 6 {
		if _, err := s.Append(ctx, hoursAgo(rec("dev1", fmt.Sprintf("k%d", i), "spring"), 6-i)); err != nil {
			t.Fatal(err)
		}
	}
	var warned []string
	behind := &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Keep: 2, Warn: func(m string) { warned = append(warned, m) }}
	late, err := behind.Append(ctx, hoursAgo(rec("dev2", "late", "spring"), 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "older than what the index has folded") {
		t.Errorf("warnings = %q", warned)
	}
	rp, err := (&S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Warn: func(m string) { t.Error(m) }}).Replay(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := rp.States([]string{"dev1", "dev2"}, time.Now())
	if st[1].Current == nil || st[1].Current.ID != late.ID || st[0].Kickoff != "k5" {
		t.Errorf("after the late record: dev1 %q, dev2 %+v", st[0].Kickoff, st[1].Current)
	}
}
