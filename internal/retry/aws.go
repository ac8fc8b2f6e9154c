package retry

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
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
			so.Retryables = append([]awsretry.IsErrorRetryable{awsretry.IsErrorRetryableFunc(untrusted)}, so.Retryables...)
		})
	}
}

// untrusted says a certificate the client does not trust is not worth another try: the
// SDK's standard retryer takes it for a broken connection and retries for a minute.
func untrusted(err error) aws.Ternary {
	if CertificateError(err) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// CertificateError reports a TLS certificate the client refused (unknown authority, wrong
// host name, expired).
func CertificateError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) || errors.As(err, &verify)
}

type awsBackoff Policy

func (b awsBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return Policy(b).Delay(attempt), nil
}
