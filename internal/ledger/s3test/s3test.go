// Package s3test runs an in-process S3 server (gofakes3, in memory) for tests of the s3 ledger,
// with hooks to answer chosen requests the way S3 does when it refuses them. Test code only.
package s3test

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is a fake S3 endpoint.
type Server struct {
	*httptest.Server
	Backend *s3mem.Backend

	mu sync.Mutex
	// Intercept, when set, sees every request first; returning true means it answered.
	intercept func(w http.ResponseWriter, r *http.Request) bool
	accessKey string

	// PreconditionFailures counts 412 answers (from the fake's own conditional-write check or
	// from an interceptor).
	PreconditionFailures atomic.Int64
	// Requests counts every request served: what a command costs in S3 requests.
	Requests atomic.Int64
}

// New starts a server holding the given (empty) buckets. Close it when done.
func New(buckets ...string) (*Server, error) { return start(false, buckets) }

// NewTLS is New over HTTPS, with a certificate of its own (WriteCA writes it for
// AWS_CA_BUNDLE).
func NewTLS(buckets ...string) (*Server, error) { return start(true, buckets) }

func start(tls bool, buckets []string) (*Server, error) {
	be := s3mem.New()
	for _, b := range buckets {
		if err := be.CreateBucket(b); err != nil {
			return nil, fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	faker := gofakes3.New(be)
	s := &Server{Backend: be}
	h := faker.Server()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Requests.Add(1)
		if _, after, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
			id, _, _ := strings.Cut(after, "/")
			s.mu.Lock()
			s.accessKey = id
			s.mu.Unlock()
		}
		s.mu.Lock()
		ic := s.intercept
		s.mu.Unlock()
		rw := &statusRecorder{ResponseWriter: w}
		if ic == nil || !ic(rw, r) {
			h.ServeHTTP(rw, r)
		}
		if rw.status == http.StatusPreconditionFailed {
			s.PreconditionFailures.Add(1)
		}
	})
	if tls {
		s.Server = httptest.NewTLSServer(handler)
	} else {
		s.Server = httptest.NewServer(handler)
	}
	return s, nil
}

// AccessKey is the access key id the last signed request was signed with (an id, not a
// secret): which credentials a client found.
func (s *Server) AccessKey() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessKey
}

// WriteCA writes the certificate of a NewTLS server as PEM to path, for AWS_CA_BUNDLE.
func (s *Server) WriteCA(path string) error {
	if s.Certificate() == nil {
		return fmt.Errorf("s3test: %s is not a TLS server", s.URL)
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}), 0o600)
}

// Intercept installs f (nil removes it).
func (s *Server) Intercept(f func(w http.ResponseWriter, r *http.Request) bool) {
	s.mu.Lock()
	s.intercept = f
	s.mu.Unlock()
}

// Client returns an S3 client for this server with static test credentials.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIATEST", "secret", ""),
		HTTPClient:   s.Server.Client(), // trusts a NewTLS server's certificate
	})
}

// Env is the environment a kickoff process needs to reach this server with the s3 ledger.
func (s *Server) Env(bucket string) []string {
	return []string{
		"KICKOFF_LEDGER_BACKEND=s3", "KICKOFF_LEDGER_BUCKET=" + bucket, "KICKOFF_LEDGER_ENDPOINT=" + s.URL,
		"AWS_ACCESS_KEY_ID=AKIATEST", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
}

// WriteError answers like S3 does: status and an XML error document with code and message.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>%s</Code><Message>%s</Message><RequestId>test</RequestId></Error>`, code, msg)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// GetObject reads key of bucket through c, failing the test when it cannot: the body and
// the ETag.
func GetObject(t testing.TB, c *s3.Client, bucket, key string) (body, etag string) {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	b, _ := io.ReadAll(out.Body)
	return string(b), aws.ToString(out.ETag)
}
