package registry

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/kickoffhq/kickoff/internal/awsenv"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// NotBuiltError says an image tag is missing: CI has not built (or not pushed) it yet.
type NotBuiltError struct{ Ref string }

func (e *NotBuiltError) Error() string {
	return fmt.Sprintf("image %s is not built yet (no such tag in the registry): wait for CI to push it, or pin another ref with --app", e.Ref)
}

var ecrHost = regexp.MustCompile(`^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$`)

// IsECR reports whether host is an Amazon ECR registry, and its region.
func IsECR(host string) (region string, ok bool) {
	m := ecrHost.FindStringSubmatch(host)
	if m == nil {
		return "", false
	}
	return m[2], true
}

// Client checks images in one registry.
type Client struct {
	Host string
	// ECREndpoint overrides the ECR API endpoint (tests, LocalStack).
	ECREndpoint string
	// HTTP is the transport for registry calls; nil means the default.
	HTTP http.RoundTripper
	// AWSWrap wraps the transport of the ECR API calls (the CLI logs them with --verbose).
	AWSWrap awsenv.Wrap

	mu   sync.Mutex
	auth authn.Authenticator
}

// New returns a client for host (e.g. 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com).
func New(host string) *Client { return &Client{Host: strings.TrimSuffix(host, "/")} }

// Ref is the full reference of repo:tag in this registry.
func (c *Client) Ref(repo, tag string) string { return c.Host + "/" + repo + ":" + tag }

// Digest returns the digest repo:tag names, or a *NotBuiltError when the tag is missing.
func (c *Client) Digest(ctx context.Context, repo, tag string) (string, error) {
	ref, err := name.NewTag(c.Ref(repo, tag))
	if err != nil {
		return "", fmt.Errorf("image reference %s: %w", c.Ref(repo, tag), err)
	}
	opts, err := c.options(ctx)
	if err != nil {
		return "", err
	}
	desc, err := remote.Head(ref, opts...)
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) && (te.StatusCode == http.StatusNotFound) {
			return "", &NotBuiltError{Ref: ref.String()}
		}
		return "", fmt.Errorf("check image %s in the registry: %w", ref, err)
	}
	return desc.Digest.String(), nil
}

// Login returns the user name and password the engine needs to pull from an ECR registry;
// ok is false for other registries, whose credentials the user's docker already holds.
func (c *Client) Login(ctx context.Context) (user, password string, ok bool, err error) {
	if _, isECR := IsECR(c.Host); !isECR && c.ECREndpoint == "" {
		return "", "", false, nil
	}
	a, err := c.authenticator(ctx)
	if err != nil {
		return "", "", false, err
	}
	cfg, err := a.Authorization()
	if err != nil {
		return "", "", false, err
	}
	return cfg.Username, cfg.Password, true, nil
}

func (c *Client) options(ctx context.Context) ([]remote.Option, error) {
	a, err := c.authenticator(ctx)
	if err != nil {
		return nil, err
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuth(a)}
	if c.HTTP != nil {
		opts = append(opts, remote.WithTransport(c.HTTP))
	}
	return opts, nil
}

func (c *Client) authenticator(ctx context.Context) (authn.Authenticator, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.auth != nil {
		return c.auth, nil
	}
	region, isECR := IsECR(c.Host)
	if !isECR && c.ECREndpoint == "" {
		reg, err := name.NewRegistry(c.Host)
		if err != nil {
			return nil, fmt.Errorf("registry %q: %w", c.Host, err)
		}
		a, err := authn.DefaultKeychain.Resolve(reg)
		if err != nil {
			return nil, fmt.Errorf("read docker credentials for %s: %w", c.Host, err)
		}
		c.auth = a
		return a, nil
	}
	a, err := ecrAuth(ctx, region, c.ECREndpoint, c.AWSWrap)
	if err != nil {
		return nil, err
	}
	c.auth = a
	return a, nil
}

// ecrAuth exchanges the AWS credentials of the environment for a registry login.
func ecrAuth(ctx context.Context, region, endpoint string, wrap awsenv.Wrap) (authn.Authenticator, error) {
	cfg, err := awsenv.Load(ctx, awsenv.Options{Region: region, Retry: retry.Service, Wrap: wrap})
	if err != nil {
		return nil, fmt.Errorf("load AWS credentials for ECR: %w", err)
	}
	cl := ecr.NewFromConfig(cfg, func(o *ecr.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	out, err := cl.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		return nil, fmt.Errorf("ECR GetAuthorizationToken (are AWS credentials set for this account?): %w", err)
	}
	if len(out.AuthorizationData) == 0 || out.AuthorizationData[0].AuthorizationToken == nil {
		return nil, errors.New("ECR GetAuthorizationToken returned no token")
	}
	raw, err := base64.StdEncoding.DecodeString(*out.AuthorizationData[0].AuthorizationToken)
	if err != nil {
		return nil, fmt.Errorf("ECR token is not base64: %w", err)
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, errors.New("ECR token is not user:password")
	}
	return &authn.Basic{Username: user, Password: pass}, nil
}

// CheckLogin says how images will be read from the registry, without reading any: an ECR
// token got from the AWS credentials, or the login docker keeps for the host (docker login,
// a credential helper). A registry with no login is an error saying what to run.
func (c *Client) CheckLogin(ctx context.Context) (string, error) {
	a, err := c.authenticator(ctx)
	if err != nil {
		return "", err
	}
	if a == authn.Anonymous {
		return "", fmt.Errorf("no docker login for %s: run `docker login %s` (or configure a credential helper for it)", c.Host, c.Host)
	}
	cfg, err := a.Authorization()
	if err != nil {
		return "", fmt.Errorf("read the docker login for %s: %w", c.Host, err)
	}
	if region, ok := IsECR(c.Host); ok || c.ECREndpoint != "" {
		return "ECR token from the AWS credentials" + map[bool]string{true: " (" + region + ")", false: ""}[region != ""], nil
	}
	if cfg.Username != "" {
		return "docker login as " + cfg.Username, nil
	}
	return "docker credentials", nil
}
