package jira

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/retry"
)

// Jira Cloud's rate limit (429) is waited out and the request sent again, body and all;
// a 503 is answered at once.
func TestRetryTransportWaitsOutTheRateLimit(t *testing.T) {
	var calls atomic.Int32
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		switch {
		case r.URL.Path == "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		case calls.Add(1) < 3:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	c := &http.Client{Transport: &retryTransport{next: http.DefaultTransport, policy: retry.Service.Faster(time.Millisecond, time.Millisecond)}}

	resp, err := c.Post(srv.URL+"/rest/api/2/issue/PROJ-1/comment", "application/json", strings.NewReader(`{"body":"배포 완료"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || calls.Load() != 3 {
		t.Fatalf("status %d after %d calls, want 200 after 3", resp.StatusCode, calls.Load())
	}
	for _, b := range bodies {
		if b != `{"body":"배포 완료"}` {
			t.Errorf("a retry sent body %q", b)
		}
	}

	bodies = nil
	resp, err = c.Get(srv.URL + "/down")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || len(bodies) != 1 {
		t.Errorf("503: status %d after %d calls, want it reported after one", resp.StatusCode, len(bodies))
	}
}

// When Jira keeps refusing, the last 429 reaches the caller (who names it).
func TestRetryTransportGivesTheLast429Back(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := &http.Client{Transport: &retryTransport{next: http.DefaultTransport, policy: retry.Service.WithAttempts(3).Faster(time.Millisecond, time.Millisecond)}}
	resp, err := c.Get(srv.URL + "/rest/api/2/myself")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || calls.Load() != 3 {
		t.Errorf("status %d after %d calls, want 429 after 3", resp.StatusCode, calls.Load())
	}
}
