package awsenv

import (
	"context"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/kickoffhq/kickoff/internal/retry"
)

// Wrap wraps the transport AWS requests go through (the CLI logs them with --verbose).
type Wrap func(http.RoundTripper) http.RoundTripper

// Options are what kickoff's configuration adds to the environment's.
type Options struct {
	Region   string // empty: the environment's (AWS_REGION, the profile)
	Endpoint string // empty: AWS or AWS_ENDPOINT_URL; else one endpoint for every service
	Retry    retry.Policy
	Wrap     Wrap // nil: requests go out as the SDK sends them
}

// Load reads the AWS configuration. The SDK builds the HTTP client itself, so a CA bundle
// (AWS_CA_BUNDLE or a profile's ca_bundle) is applied to its transport: the SDK refuses a
// bundle together with a client it did not build ("unable to add custom RootCAs
// HTTPClient"). Wrap, if any, is put around that transport afterwards.
func Load(ctx context.Context, o Options) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRetryer(retry.AWSRetryer(o.Retry))}
	if o.Region != "" {
		opts = append(opts, awsconfig.WithRegion(o.Region))
	}
	if o.Endpoint != "" {
		opts = append(opts, awsconfig.WithBaseEndpoint(o.Endpoint))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, err
	}
	if o.Wrap != nil {
		bc, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
		if cfg.HTTPClient == nil || !ok {
			bc = awshttp.NewBuildableClient()
		}
		cfg.HTTPClient = &http.Client{
			Transport: o.Wrap(bc.GetTransport()),
			Timeout:   bc.GetTimeout(),
			// The SDK reads redirects itself (an S3 bucket in another region answers 301).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return cfg, nil
}
