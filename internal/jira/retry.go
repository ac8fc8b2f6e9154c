package jira

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/kickoffhq/kickoff/internal/retry"
)

// retryTransport sends a request again when Jira answers 429 Too Many Requests (Jira
// Cloud's rate limit: the request was not processed), waiting as retry.Service says and at
// least what Retry-After asks. Other answers, 503 included, are reported at once: a Jira
// that is down is better named than waited for.
type retryTransport struct {
	next   http.RoundTripper
	policy retry.Policy
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return retry.Do(req.Context(), t.policy, func(attempt int) (*http.Response, error) {
		r := req
		if attempt > 1 {
			r = req.Clone(req.Context())
			if req.Body != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := t.next.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusTooManyRequests || attempt >= t.policy.Attempts ||
			(req.Body != nil && req.GetBody == nil) {
			return resp, err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, retry.AgainAfter(retryAfter(resp.Header.Get("Retry-After"), t.policy.Max), errTooMany)
	})
}

var errTooMany = errors.New("jira: 429 Too Many Requests")

// retryAfter reads a Retry-After header in seconds, at most limit; 0 when absent or an HTTP
// date (then the policy's own wait applies).
func retryAfter(v string, limit time.Duration) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, limit)
}
