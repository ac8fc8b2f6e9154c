package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
)

func TestS3AppendListAndRecordObjects(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	got, err := s.List(ctx, Filter{})
	if err != nil || len(got) != 0 {
		t.Fatalf("empty bucket: %v, %v", got, err)
	}
	var ids []string
	for _, r := range []Record{rec("dev1", "ka", "spring"), rec("dev2", "kb", "django"), rec("dev1", "kb", "frontend")} {
		r, err := s.Append(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	all, err := s.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != ids[2] || all[2].ID != ids[0] {
		t.Fatalf("List = %+v, want newest first", all)
	}
	dev1, _ := s.List(ctx, Filter{Slot: "dev1", App: "spring"})
	if len(dev1) != 1 || dev1[0].Kickoff != "ka" {
		t.Errorf("filter slot+app: %+v", dev1)
	}
	for _, id := range ids {
		body, _ := getObject(t, srv.Client(), "kickoff/ledger/records/"+id+".json")
		if !strings.Contains(body, `"id":"`+id+`"`) {
			t.Errorf("record object %s holds %s", id, body)
		}
	}
}

// Records older than the newest Keep (and than lateWindow) are folded into the index's
// replay; every record stays an object of its own, and listings past the newest still find
// them: by slot from the ids the index keeps, else from the objects.
func TestS3IndexFoldsOlderRecordsAndKeepsEverythingAsRecords(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	s.Keep = 5
	for i := 0; i < 12; i++ {
		slot := "dev2"
		if i < 3 {
			slot = "dev1" // only the oldest three are on dev1: past the newest 5
		}
		if _, err := s.Append(ctx, hoursAgo(rec(slot, "k"+strconv.Itoa(i), "spring"), 12-i)); err != nil {
			t.Fatal(err)
		}
	}
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/index.json")
	var idx s3Index
	if err := json.Unmarshal([]byte(body), &idx); err != nil || len(idx.Recent) != 5 || idx.Base.Slots["dev2"].Count != 4 || idx.Base.Slots["dev1"].Count != 3 {
		t.Errorf("index: %v, %d recent records, base %+v", err, len(idx.Recent), idx.Base.Order)
	}
	fresh := &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Keep: 5}
	got, _ := fresh.List(ctx, Filter{Limit: 3})
	if len(got) != 3 || got[0].Kickoff != "k11" {
		t.Errorf("List(3) = %d records, newest %v", len(got), got)
	}
	got, err := fresh.List(ctx, Filter{Limit: -1})
	if err != nil || len(got) != 12 || got[11].Kickoff != "k0" {
		t.Fatalf("List(all) = %d records (%v), want all 12 down to k0", len(got), err)
	}
	got, _ = fresh.List(ctx, Filter{Slot: "dev1"})
	if len(got) != 3 || got[0].Kickoff != "k2" || got[2].Kickoff != "k0" {
		t.Errorf("records past N not found by slot: %+v", got)
	}
	got, _ = fresh.List(ctx, Filter{Kickoff: "k1"})
	if len(got) != 1 || got[0].Kickoff != "k1" {
		t.Errorf("records past N not found by kickoff: %+v", got)
	}
	rp, err := fresh.Replay(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := rp.States([]string{"dev1", "dev2"}, time.Now())
	if st[0].Kickoff != "k2" || st[1].Kickoff != "k11" || st[0].Apps[0].RecordID == "" {
		t.Errorf("states from the index: %+v", st)
	}
}

func TestS3RetriesWhenAnotherWriterWins(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	if _, err := s.Append(ctx, rec("dev1", "first", "spring")); err != nil {
		t.Fatal(err)
	}
	// The next three conditional writes of the index lose, as if three other deployers
	// got there first: S3 answers 412 PreconditionFailed.
	var lost, puts atomic.Int64
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/index.json") {
			puts.Add(1)
			if lost.Add(1) <= 3 {
				s3test.WriteError(w, http.StatusPreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
				return true
			}
		}
		return false
	})
	if _, err := s.Append(ctx, rec("dev1", "second", "spring")); err != nil {
		t.Fatal(err)
	}
	if puts.Load() != 4 {
		t.Errorf("index.json written %d times, want 3 lost + 1 won", puts.Load())
	}
	got, _ := s.List(ctx, Filter{})
	if len(got) != 2 || got[0].Kickoff != "second" {
		t.Errorf("after retries: %+v", got)
	}
}

func TestS3GivesUpClearlyAndKeepsTheRecordObject(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	s.MaxAttempts = 4
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/index.json") {
			s3test.WriteError(w, http.StatusConflict, "ConditionalRequestConflict", "A conflicting conditional operation is in progress")
			return true
		}
		return false
	})
	r, err := s.Append(ctx, rec("dev1", "k", "spring"))
	if err == nil || !strings.Contains(err.Error(), "won the race 4 times") || !strings.Contains(err.Error(), "records/"+r.ID) {
		t.Fatalf("err = %v, want a give-up error naming the saved record", err)
	}
	srv.Intercept(nil)
	got, _ := s.List(ctx, Filter{})
	if len(got) != 1 || got[0].ID != r.ID {
		t.Errorf("the record was lost: %+v", got)
	}
}

func TestS3ConcurrentAppenders(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	want := appendAtOnce(t, 20, 3, func() Store { return &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix} },
		func(int) string { return "dev1" })
	t.Logf("conditional writes refused during the race (then retried): %d", srv.PreconditionFailures.Load())
	got, err := s.List(ctx, Filter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, got, want)
	// And the index alone (60 < 100) holds every one of them.
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/index.json")
	for k := range want {
		if !strings.Contains(body, `"kickoff":"`+k+`"`) {
			t.Errorf("index.json lost %s", k)
		}
	}
}

// TestS3ConcurrentProcesses has 20 processes append through the same fake S3.
func TestS3ConcurrentProcesses(t *testing.T) {
	if url := os.Getenv("KICKOFF_LEDGER_S3_CHILD"); url != "" {
		cfg := config.Default()
		cfg.Ledger.Backend, cfg.Ledger.Bucket, cfg.Ledger.Endpoint = "s3", testBucket, url
		st, err := Open(cfg, t.TempDir())
		if err == nil {
			_, err = st.Append(context.Background(), rec("dev1", os.Getenv("KICKOFF_LEDGER_CHILD_N"), "spring"))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		return
	}
	srv, s := newS3(t)
	s.Prefix = config.Default().Ledger.Prefix
	const procs = 20
	want := map[string]bool{}
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for i := range procs {
		want["p"+strconv.Itoa(i)] = true
		cmd := exec.Command(os.Args[0], "-test.run=^TestS3ConcurrentProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), srv.Env(testBucket)...)
		cmd.Env = append(cmd.Env, "KICKOFF_LEDGER_S3_CHILD="+srv.URL, "KICKOFF_LEDGER_CHILD_N=p"+strconv.Itoa(i))
		out := &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer process %d: %v\n%s", i, err, outs[i])
		}
	}
	t.Logf("conditional writes refused during the race (then retried): %d", srv.PreconditionFailures.Load())
	got, err := s.List(context.Background(), Filter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, got, want)
}

func TestS3MissingBucketIsAClearError(t *testing.T) {
	_, s := newS3(t)
	s.Bucket = "no-such-bucket"
	_, err := s.Append(context.Background(), rec("dev1", "k", "spring"))
	if !errors.Is(err, ErrBucketMissing) || !strings.Contains(err.Error(), `"no-such-bucket"`) {
		t.Errorf("Append: %v, want ErrBucketMissing naming the bucket", err)
	}
	_, err = s.List(context.Background(), Filter{})
	if !errors.Is(err, ErrBucketMissing) {
		t.Errorf("List: %v, want ErrBucketMissing", err)
	}
}

func TestS3AccessDeniedIsAClearError(t *testing.T) {
	srv, s := newS3(t)
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		s3test.WriteError(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return true
	})
	_, err := s.Append(context.Background(), rec("dev1", "k", "spring"))
	if !errors.Is(err, ErrAccessDenied) || !strings.Contains(err.Error(), "s3://kickoff-ledger/kickoff/ledger/") {
		t.Errorf("Append: %v, want ErrAccessDenied naming the place", err)
	}
	_, err = s.List(context.Background(), Filter{})
	if !errors.Is(err, ErrAccessDenied) {
		t.Errorf("List: %v, want ErrAccessDenied", err)
	}
}

func TestS3DamagedIndexIsRebuiltFromRecords(t *testing.T) {
	ctx := context.Background()
	for name, body := range map[string]string{
		"torn":         `{"format":1,"recent":[{"id":"01J`,
		"other format": `{"format":7}`,
		"bad slot":     `{"format":1,"base":{},"recent":[{"id":"01JZZZZZZZZZZZZZZZZZZZZZZZ","slot":"../x","action":"release","outcome":"succeeded"}]}`,
		"out of order": `{"format":1,"base":{"through":"01JZZZZZZZZZZZZZZZZZZZZZZZ"},"recent":[{"id":"01HZZZZZZZZZZZZZZZZZZZZZZZ","slot":"dev1","action":"release","outcome":"succeeded"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv, s := newS3(t)
			var warned []string
			s.Warn = func(m string) { warned = append(warned, m) }
			s.Append(ctx, rec("dev1", "k1", "spring"))
			s.Append(ctx, rec("dev1", "k2", "spring"))
			if _, err := srv.Client().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("kickoff/ledger/index.json"), Body: strings.NewReader(body)}); err != nil {
				t.Fatal(err)
			}
			got, err := s.List(ctx, Filter{})
			if err != nil || len(got) != 2 || got[0].Kickoff != "k2" {
				t.Fatalf("List over a damaged index: %v, %+v", err, got)
			}
			if len(warned) == 0 || !strings.Contains(warned[0], "is damaged") || !strings.Contains(warned[0], "rebuilding") {
				t.Errorf("warnings = %q", warned)
			}
			// The reader wrote the repaired index back.
			repaired, _ := getObject(t, srv.Client(), "kickoff/ledger/index.json")
			if strings.Count(repaired, `"action":"release"`) != 2 || strings.Contains(repaired, "../x") {
				t.Errorf("index after repair: %s", repaired)
			}
		})
	}
}

// A missing index (a bucket written by an older kickoff, or deleted) is built from the
// record objects once, with a warning, and written back.
func TestS3MissingIndexIsBuiltOnce(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	for i := range 3 {
		if _, err := s.Append(ctx, hoursAgo(rec("dev1", "k"+strconv.Itoa(i), "spring"), 3-i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Client().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("kickoff/ledger/index.json")}); err != nil {
		t.Fatal(err)
	}
	var warned []string
	reader := &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Warn: func(m string) { warned = append(warned, m) }}
	for range 2 {
		got, err := reader.List(ctx, Filter{})
		if err != nil || len(got) != 3 {
			t.Fatalf("List without an index: %v, %d records", err, len(got))
		}
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "has no index") {
		t.Errorf("warnings = %q, want one saying the index was built", warned)
	}
}

// A writer that died between its record object and the index (or an older kickoff that
// writes only records): readers find the record by the listing since the index's newest.
func TestS3RecordMissingFromTheIndexIsRead(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	if _, err := s.Append(ctx, rec("dev1", "k1", "spring")); err != nil {
		t.Fatal(err)
	}
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/index.json") {
			s3test.WriteError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "down")
			return true
		}
		return false
	})
	s.MaxAttempts = 1
	orphan, err := s.Append(ctx, rec("dev1", "k2", "spring"))
	if err == nil {
		t.Fatal("append with the index unwritable: no error")
	}
	srv.Intercept(nil)
	reader := &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Warn: func(string) {}}
	rp, err := reader.Replay(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st := rp.States([]string{"dev1"}, time.Now()); st[0].Current == nil || st[0].Current.ID != orphan.ID {
		t.Errorf("state misses the orphan record: %+v", st[0].Current)
	}
}

// Record objects never change, so a second full listing reads none of them again.
func TestS3ReadsEachRecordObjectOnce(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	s.Keep = 3
	for i := 0; i < 10; i++ {
		if _, err := s.Append(ctx, hoursAgo(rec("dev1", "k"+strconv.Itoa(i), "spring"), 10-i)); err != nil {
			t.Fatal(err)
		}
	}
	s = &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: s.Prefix, Keep: 3}
	var gets atomic.Int64
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/records/") {
			gets.Add(1)
		}
		return false
	})
	for round, want := range []int64{7, 7} { // 10 records, 3 of them in the index
		got, err := s.List(ctx, Filter{Limit: -1})
		if err != nil || len(got) != 10 {
			t.Fatalf("round %d: %d records, %v", round, len(got), err)
		}
		if gets.Load() != want {
			t.Errorf("after round %d: %d record GETs, want %d", round, gets.Load(), want)
		}
	}
}
