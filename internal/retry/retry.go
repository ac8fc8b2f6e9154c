package retry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Policy says how many calls an operation gets and how long to wait between them: the
// first wait is about Initial, each next one doubles, none is longer than Max; every wait
// is jittered (±50%) so that racing processes spread out instead of colliding again.
type Policy struct {
	Attempts int           // calls in all, the first included
	Initial  time.Duration // the wait after the first failure, before jitter
	Max      time.Duration // the longest wait before jitter
}

// The policy's two sets of values.
var (
	// Race is for a compare-and-swap that another process won (a platform version
	// reserved, a tag pushed, the S3 ledger's index object): the loser reads again
	// and retries at once, with a few milliseconds between racers.
	Race = Policy{Attempts: 60, Initial: 5 * time.Millisecond, Max: 400 * time.Millisecond}
	// Service is for a service that is throttling or briefly unavailable (AWS, Jira):
	// back off to seconds, and give up after a handful of calls.
	Service = Policy{Attempts: 8, Initial: 500 * time.Millisecond, Max: 20 * time.Second}
)

// WithAttempts is p with n calls in all; n <= 0 keeps p's.
func (p Policy) WithAttempts(n int) Policy {
	if n > 0 {
		p.Attempts = n
	}
	return p
}

// Faster is p with its waits set to initial and max where they are set (> 0), for tests.
func (p Policy) Faster(initial, max time.Duration) Policy {
	if initial > 0 {
		p.Initial = initial
	}
	if max > 0 {
		p.Max = max
	}
	return p
}

func (p Policy) backOff() *backoff.ExponentialBackOff {
	return &backoff.ExponentialBackOff{
		InitialInterval:     p.Initial,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         p.Max,
	}
}

// Delay is the wait before retry number attempt (1 for the first retry), for clients that
// run their own retry loop with a pluggable delay (the AWS SDK's retryer).
func (p Policy) Delay(attempt int) time.Duration {
	b := p.backOff()
	b.Reset()
	d := b.NextBackOff()
	for i := 1; i < attempt; i++ {
		d = b.NextBackOff()
	}
	return d
}

// Again marks err as worth another try (a lost race, a throttled call). Do returns any
// other error at once.
func Again(err error) error { return &againError{err: err} }

// AgainAfter is Again waiting at least d (a server's Retry-After) before the next call.
func AgainAfter(d time.Duration, err error) error { return &againError{err: err, after: d} }

type againError struct {
	err   error
	after time.Duration
}

func (e *againError) Error() string { return e.err.Error() }

// Unwrap offers backoff the server's wait, when there is one.
func (e *againError) Unwrap() []error {
	if e.after > 0 {
		return []error{e.err, &backoff.RetryAfterError{Duration: e.after}}
	}
	return []error{e.err}
}

// ExhaustedError is every call failing with an Again error: Err is the last one.
type ExhaustedError struct {
	Attempts int
	Err      error
}

func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("still failing after %d attempts: %v", e.Attempts, e.Err)
}
func (e *ExhaustedError) Unwrap() error { return e.Err }

// Do calls op (attempt counting from 1) until it succeeds, fails with an error not marked
// Again, runs out of attempts (an *ExhaustedError) or ctx ends (ctx's error). Each retry
// is logged at debug level.
func Do[T any](ctx context.Context, p Policy, op func(attempt int) (T, error)) (T, error) {
	attempt := 0
	res, err := backoff.Retry(ctx, func() (T, error) {
		attempt++
		v, err := op(attempt)
		var again *againError
		if err != nil && !errors.As(err, &again) {
			return v, backoff.Permanent(err)
		}
		return v, err
	},
		backoff.WithBackOff(p.backOff()),
		backoff.WithMaxTries(uint(max(p.Attempts, 1))),
		backoff.WithMaxElapsedTime(0), // the attempts bound it
		backoff.WithNotify(func(err error, wait time.Duration) {
			slog.Debug("retrying", "attempt", attempt, "wait", wait.Round(time.Millisecond), "err", err)
		}),
	)
	if err == nil {
		return res, nil
	}
	// On the last try backoff returns the operation's error as it was, still wrapped.
	var perm *backoff.PermanentError
	if errors.As(err, &perm) {
		return res, perm.Err
	}
	var again *againError
	if errors.As(err, &again) {
		return res, &ExhaustedError{Attempts: attempt, Err: again.err}
	}
	return res, err
}
