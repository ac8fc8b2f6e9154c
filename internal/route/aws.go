package route

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/kickoffhq/kickoff/internal/awsenv"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// AWSOptions tune the AWS clients.
type AWSOptions struct {
	Region   string // empty: from the standard chain (AWS_REGION, profile)
	Endpoint string // empty: AWS; else one endpoint for every service (tests, LocalStack)
	// BaseDelay and MaxBackoff of the retries (0: retry.Service's). Tests make them short.
	BaseDelay, MaxBackoff time.Duration
	Attempts              int // calls in all (0: retry.Service's)
	// Wrap wraps the transport of the AWS calls (the CLI logs them with --verbose).
	Wrap awsenv.Wrap
}

// loadAWS reads credentials and region from the standard chain (environment, shared profile,
// SSO, EC2 instance role) and checks both now, so a missing role is a clear error up front.
func loadAWS(ctx context.Context, o AWSOptions) (aws.Config, error) {
	policy := retry.Service.WithAttempts(o.Attempts).Faster(o.BaseDelay, o.MaxBackoff)
	cfg, err := awsenv.Load(ctx, awsenv.Options{Region: o.Region, Endpoint: o.Endpoint, Retry: policy, Wrap: o.Wrap})
	if err != nil {
		return cfg, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return cfg, errors.New("no AWS region: set routing.region in .kickoff.yaml, or AWS_REGION")
	}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		if msg := err.Error(); strings.Contains(msg, "no EC2 IMDS role found") && strings.Contains(msg, "StatusCode: 404") {
			return cfg, errors.New("no AWS credentials: this machine is an EC2 instance without an IAM role (its instance " +
				"metadata service answers but lists no role). Attach an IAM role (instance profile) with the routing " +
				"permissions listed in the README's Routing section, or set AWS_PROFILE or the access keys")
		}
		return cfg, fmt.Errorf("no AWS credentials: kickoff looked in the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE), "+
			"the shared config files and the EC2 instance role. On EC2, attach an IAM role (instance profile) to the "+
			"instance: an instance without a role has no credentials. Elsewhere set AWS_PROFILE or the access keys. (%v)", err)
	}
	return cfg, nil
}

// awsError names what AWS refused, in words a user can act on.
func awsError(action string, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError":
			return fmt.Errorf("%s: access denied: the AWS identity in use may not call %s; grant it that permission (see the README's Routing section for the policy) and run again (%s)", action, action, ae.ErrorMessage())
		case "Throttling", "ThrottlingException", "RequestLimitExceeded", "PriorRequestNotComplete":
			return fmt.Errorf("%s: AWS kept throttling the calls, retried with backoff; wait a minute and run again (%s)", action, ae.ErrorMessage())
		case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException":
			return fmt.Errorf("%s: AWS refused the credentials (%s): %s", action, ae.ErrorCode(), ae.ErrorMessage())
		}
		return fmt.Errorf("%s: %s: %s", action, ae.ErrorCode(), ae.ErrorMessage())
	}
	return fmt.Errorf("%s: %w", action, err)
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
