package retry

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	awsretry "github.com/aws/aws-sdk-go-v2/aws/retry"
)

// AWSRetryer is the AWS SDK's standard retryer (it knows which AWS errors are worth
// another try: throttling, 5xx, timeouts) waiting as p says: p.Attempts calls in all, the
// waits of Delay. Its client-side rate limiter is off: every throttled call is retried and
// the backoff paces them.
func AWSRetryer(p Policy) func() aws.Retryer {
	return func() aws.Retryer {
		return awsretry.NewStandard(func(so *awsretry.StandardOptions) {
			so.MaxAttempts = max(p.Attempts, 1)
			so.MaxBackoff = p.Max + p.Max/2 // the longest jittered wait
			so.Backoff = awsBackoff(p)
			so.RateLimiter = ratelimit.None
		})
	}
}

type awsBackoff Policy

func (b awsBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return Policy(b).Delay(attempt), nil
}
