package s3test_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
)

const testBucket = "kickoff-ledger"

func newServer(t *testing.T) *s3test.Server {
	t.Helper()
	srv, err := s3test.New(testBucket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func getObject(t *testing.T, c *s3.Client, key string) (string, string) {
	t.Helper()
	return s3test.GetObject(t, c, testBucket, key)
}

func status(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// TestFakeS3HonoursConditionalWrites checks the premise of the s3 ledger's race tests:
// gofakes3 refuses a stale If-Match and an If-None-Match on an existing key with 412, and
// the server counts those refusals.
func TestFakeS3HonoursConditionalWrites(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t)
	c := srv.Client()
	put := func(in *s3.PutObjectInput) error {
		in.Bucket, in.Key = aws.String(testBucket), aws.String("k")
		_, err := c.PutObject(ctx, in)
		return err
	}
	if err := put(&s3.PutObjectInput{Body: strings.NewReader("one"), IfNoneMatch: aws.String("*")}); err != nil {
		t.Fatal(err)
	}
	_, etag := getObject(t, c, "k")
	if err := put(&s3.PutObjectInput{Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")}); status(err) != http.StatusPreconditionFailed {
		t.Fatalf("If-None-Match on an existing key: %v, want 412", err)
	}
	if err := put(&s3.PutObjectInput{Body: strings.NewReader("two"), IfMatch: aws.String(etag)}); err != nil {
		t.Fatal(err)
	}
	if err := put(&s3.PutObjectInput{Body: strings.NewReader("three"), IfMatch: aws.String(etag)}); status(err) != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %v, want 412", err)
	}
	if body, _ := getObject(t, c, "k"); body != "two" {
		t.Fatalf("object = %q, want two", body)
	}
	if n := srv.PreconditionFailures.Load(); n != 2 {
		t.Errorf("PreconditionFailures = %d, want 2", n)
	}
}

// An interceptor answers chosen requests as S3 refuses them (the client sees S3's code and
// message); removing it lets requests through again.
func TestInterceptAnswersLikeS3(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t)
	c := srv.Client()
	srv.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPut {
			return false
		}
		s3test.WriteError(w, http.StatusForbidden, "AccessDenied", "no writes here")
		return true
	})
	put := func() error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), Body: strings.NewReader("v")})
		return err
	}
	var ae smithy.APIError
	if err := put(); !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" || ae.ErrorMessage() != "no writes here" || status(err) != http.StatusForbidden {
		t.Fatalf("intercepted put: %v, want 403 AccessDenied", err)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(testBucket)}); err != nil {
		t.Errorf("a request the interceptor passes on: %v", err)
	}
	srv.Intercept(nil)
	if err := put(); err != nil {
		t.Fatalf("after removing the interceptor: %v", err)
	}
	if body, _ := getObject(t, c, "k"); body != "v" {
		t.Errorf("object = %q", body)
	}
}

// Env points a kickoff process at this server and bucket, with no real AWS configuration.
func TestEnv(t *testing.T) {
	srv := newServer(t)
	env := strings.Join(srv.Env("b1"), "\n")
	for _, want := range []string{"KICKOFF_LEDGER_BACKEND=s3", "KICKOFF_LEDGER_BUCKET=b1", "KICKOFF_LEDGER_ENDPOINT=" + srv.URL, "AWS_CONFIG_FILE=/dev/null"} {
		if !strings.Contains(env+"\n", want+"\n") {
			t.Errorf("Env lacks %s:\n%s", want, env)
		}
	}
}
