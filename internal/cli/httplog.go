package cli

import (
	"log/slog"
	"net/http"
	"time"
)

// awsLog wraps the transport of kickoff's AWS clients (S3 ledger, ALB and Route53, ECR) in
// logTransport, for awsenv.Options.Wrap.
func awsLog(rt http.RoundTripper) http.RoundTripper { return logTransport{rt} }

// logTransport logs every HTTP request kickoff makes (Jira, GitHub, S3, registries) at
// debug level: method, host, path, status and duration. Never the headers, the query
// or the body, where tokens and signatures travel.
type logTransport struct{ next http.RoundTripper }

func (t logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []any{"method", req.Method, "host", req.URL.Host, "path", req.URL.Path, "took", time.Since(start).Round(time.Millisecond)}
	if resp != nil {
		attrs = append(attrs, "status", resp.StatusCode)
	}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	slog.Debug("http", attrs...)
	return resp, err
}
