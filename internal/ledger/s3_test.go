package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

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

func TestS3KeepsLastNInOneObjectAndEverythingAsRecords(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	s.Keep = 5
	for i := 0; i < 12; i++ {
		slot := "dev2"
		if i < 3 {
			slot = "dev1" // only the oldest three are on dev1: past the last 5
		}
		if _, err := s.Append(ctx, rec(slot, "k"+strconv.Itoa(i), "spring")); err != nil {
			t.Fatal(err)
		}
	}
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/last.json")
	if n := strings.Count(body, `"id":`); n != 5 {
		t.Errorf("last.json holds %d records, want 5", n)
	}
	got, _ := s.List(ctx, Filter{Limit: 3})
	if len(got) != 3 || got[0].Kickoff != "k11" {
		t.Errorf("List(3) = %d records, newest %v", len(got), got)
	}
	got, err := s.List(ctx, Filter{Limit: -1})
	if err != nil || len(got) != 12 || got[11].Kickoff != "k0" {
		t.Fatalf("List(all) = %d records (%v), want all 12 down to k0", len(got), err)
	}
	got, _ = s.List(ctx, Filter{Slot: "dev1"})
	if len(got) != 3 || got[0].Kickoff != "k2" || got[2].Kickoff != "k0" {
		t.Errorf("records past N not found by filter: %+v", got)
	}
}

func TestS3RetriesWhenAnotherWriterWins(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	if _, err := s.Append(ctx, rec("dev1", "first", "spring")); err != nil {
		t.Fatal(err)
	}
	// The next three conditional writes of last.json lose, as if three other deployers
	// got there first: S3 answers 412 PreconditionFailed.
	var lost, puts atomic.Int64
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/last.json") {
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
		t.Errorf("last.json written %d times, want 3 lost + 1 won", puts.Load())
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
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/last.json") {
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
	// And the last-N object alone (60 < 100) holds every one of them.
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/last.json")
	for k := range want {
		if !strings.Contains(body, `"kickoff":"`+k+`"`) {
			t.Errorf("last.json lost %s", k)
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

func TestS3CorruptLastObjectIsRebuiltFromRecords(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	var warned []string
	s.Warn = func(m string) { warned = append(warned, m) }
	s.Append(ctx, rec("dev1", "k1", "spring"))
	s.Append(ctx, rec("dev1", "k2", "spring"))
	if _, err := srv.Client().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("kickoff/ledger/last.json"), Body: strings.NewReader(`[{"id":"01J`)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.List(ctx, Filter{})
	if err != nil || len(got) != 2 || got[0].Kickoff != "k2" {
		t.Fatalf("List over a corrupt last.json: %v, %+v", err, got)
	}
	if len(warned) == 0 || !strings.Contains(warned[0], "rebuilding") {
		t.Errorf("warnings = %q", warned)
	}
	if _, err := s.Append(ctx, rec("dev1", "k3", "spring")); err != nil {
		t.Fatal(err)
	}
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/last.json")
	if strings.Count(body, `"id":`) != 3 {
		t.Errorf("last.json after repair: %s", body)
	}
}

// Record objects never change, so a second full listing reads none of them again.
func TestS3ReadsEachRecordObjectOnce(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	s.Keep = 3
	for i := 0; i < 10; i++ {
		if _, err := s.Append(ctx, rec("dev1", "k"+strconv.Itoa(i), "spring")); err != nil {
			t.Fatal(err)
		}
	}
	var gets atomic.Int64
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/records/") {
			gets.Add(1)
		}
		return false
	})
	for round, want := range []int64{7, 7} { // 10 records, 3 of them in last.json
		got, err := s.List(ctx, Filter{Limit: -1})
		if err != nil || len(got) != 10 {
			t.Fatalf("round %d: %d records, %v", round, len(got), err)
		}
		if gets.Load() != want {
			t.Errorf("after round %d: %d record GETs, want %d", round, gets.Load(), want)
		}
	}
}
