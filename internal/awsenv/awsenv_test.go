package awsenv_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kickoffhq/kickoff/internal/awsenv"
	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// cleanEnv leaves only what a test sets of the AWS environment, with a HOME of its own.
func cleanEnv(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return home
}

func tlsS3(t *testing.T) (*s3test.Server, string) {
	srv, err := s3test.NewTLS("bucket-one")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := srv.WriteCA(ca); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

func list(ctx context.Context, cfg aws.Config, endpoint string) error {
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.UsePathStyle = true
	})
	_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bucket-one")})
	return err
}

// AWS_CA_BUNDLE with kickoff's own transport wrapper (the CLI's -v logging): the SDK applies
// the bundle to the client it builds, and the wrapper still sees every request. Without the
// bundle the server's certificate is refused, so the bundle is what makes it work.
func TestCABundleWithAWrappedTransport(t *testing.T) {
	ctx := context.Background()
	cleanEnv(t)
	srv, ca := tlsS3(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
	t.Setenv("AWS_REGION", "us-east-1")

	cfg, err := awsenv.Load(ctx, awsenv.Options{Retry: retry.Service.WithAttempts(1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := list(ctx, cfg, srv.URL); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without AWS_CA_BUNDLE: %v, want a certificate error", err)
	}

	t.Setenv("AWS_CA_BUNDLE", ca)
	var seen atomic.Int64
	wrap := func(rt http.RoundTripper) http.RoundTripper {
		return roundTripper(func(r *http.Request) (*http.Response, error) { seen.Add(1); return rt.RoundTrip(r) })
	}
	for _, w := range []awsenv.Wrap{nil, wrap} {
		cfg, err := awsenv.Load(ctx, awsenv.Options{Retry: retry.Service.WithAttempts(1), Wrap: w})
		if err != nil {
			t.Fatalf("load with AWS_CA_BUNDLE: %v", err)
		}
		if err := list(ctx, cfg, srv.URL); err != nil {
			t.Fatalf("list over TLS with AWS_CA_BUNDLE: %v", err)
		}
	}
	if seen.Load() == 0 {
		t.Error("the wrapped transport saw no request")
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// AWS_PROFILE names a profile of the shared files: its credentials sign the requests,
// its region and its endpoint_url apply; AWS_ENDPOINT_URL_S3 does too.
func TestProfileAndEndpointFromTheEnvironment(t *testing.T) {
	ctx := context.Background()
	home := cleanEnv(t)
	srv, ca := tlsS3(t)
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(home, ".aws", name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("config", "[profile deployer]\nregion = eu-west-3\nca_bundle = "+ca+"\nendpoint_url = "+srv.URL+"\n")
	write("credentials", "[deployer]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = not-a-real-secret\n")
	// The SDK reads where HOME was when the process started (testdata/script/aws-environment
	// drives HOME itself); here the files are named.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"))
	t.Setenv("AWS_PROFILE", "deployer")
	cfg, err := awsenv.Load(ctx, awsenv.Options{Retry: retry.Service.WithAttempts(1), Wrap: func(rt http.RoundTripper) http.RoundTripper { return rt }})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "eu-west-3" {
		t.Errorf("region = %q, want the profile's", cfg.Region)
	}
	if err := list(ctx, cfg, ""); err != nil {
		t.Fatalf("list through the profile's endpoint and CA bundle: %v", err)
	}
	if got := srv.AccessKey(); got != "AKIAPROFILE" {
		t.Errorf("signed with %q, want the profile's key", got)
	}

	// A service's own endpoint variable.
	write("config", "[profile deployer]\nregion = eu-west-3\n")
	t.Setenv("AWS_CA_BUNDLE", ca)
	t.Setenv("AWS_ENDPOINT_URL_S3", srv.URL)
	cfg, err = awsenv.Load(ctx, awsenv.Options{Retry: retry.Service.WithAttempts(1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := list(ctx, cfg, ""); err != nil {
		t.Fatalf("list through AWS_ENDPOINT_URL_S3: %v", err)
	}
}
