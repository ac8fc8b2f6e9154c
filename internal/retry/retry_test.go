package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

var errLost = errors.New("lost the race")

func fast(attempts int) Policy {
	return Race.WithAttempts(attempts).Faster(time.Microsecond, time.Microsecond)
}

func TestDoRetriesAgainUntilItSucceeds(t *testing.T) {
	got, err := Do(context.Background(), fast(5), func(attempt int) (int, error) {
		if attempt < 3 {
			return 0, Again(errLost)
		}
		return attempt, nil
	})
	if err != nil || got != 3 {
		t.Fatalf("Do = %d, %v; want 3 calls then success", got, err)
	}
}

func TestDoStopsAtAnErrorNotMarkedAgain(t *testing.T) {
	calls := 0
	refused := errors.New("403 forbidden")
	_, err := Do(context.Background(), fast(5), func(int) (string, error) {
		calls++
		return "", refused
	})
	if calls != 1 || err != refused {
		t.Fatalf("calls = %d, err = %v; want one call and the error itself", calls, err)
	}
}

func TestDoGivesUpAfterItsAttempts(t *testing.T) {
	calls := 0
	_, err := Do(context.Background(), fast(4), func(int) (int, error) {
		calls++
		return 0, Again(errLost)
	})
	var ex *ExhaustedError
	if !errors.As(err, &ex) || ex.Attempts != 4 || calls != 4 || !errors.Is(err, errLost) {
		t.Fatalf("calls = %d, err = %v; want 4 calls and an ExhaustedError wrapping the last error", calls, err)
	}
}

// The last call failing with a plain error is that error, not an exhaustion.
func TestDoLastCallPermanent(t *testing.T) {
	refused := errors.New("refused")
	_, err := Do(context.Background(), fast(2), func(attempt int) (int, error) {
		if attempt == 1 {
			return 0, Again(errLost)
		}
		return 0, refused
	})
	if err != refused {
		t.Fatalf("err = %v, want %v", err, refused)
	}
}

func TestDoStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Do(ctx, fast(50), func(int) (int, error) {
		calls++
		cancel()
		return 0, Again(errLost)
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("calls = %d, err = %v; want one call then context.Canceled", calls, err)
	}
}

// Delay grows with the attempt up to Max (within the jitter), the same waits Do uses.
func TestDelayGrowsToTheMax(t *testing.T) {
	p := Policy{Attempts: 8, Initial: 100 * time.Millisecond, Max: time.Second}
	if d := p.Delay(1); d < 50*time.Millisecond || d > 150*time.Millisecond {
		t.Errorf("first delay %s, want 100ms ±50%%", d)
	}
	if d := p.Delay(3); d < 200*time.Millisecond || d > 600*time.Millisecond {
		t.Errorf("third delay %s, want 400ms ±50%%", d)
	}
	if d := p.Delay(20); d < 500*time.Millisecond || d > 1500*time.Millisecond {
		t.Errorf("20th delay %s, want the 1s cap ±50%%", d)
	}
}

// The AWS SDK's retryer counts and waits as the policy says.
func TestAWSRetryerUsesThePolicy(t *testing.T) {
	p := Policy{Attempts: 3, Initial: 100 * time.Millisecond, Max: time.Second}
	r := AWSRetryer(p)()
	if r.MaxAttempts() != 3 {
		t.Errorf("MaxAttempts = %d, want 3", r.MaxAttempts())
	}
	throttled := errors.New("throttled")
	d, err := r.RetryDelay(1, throttled)
	if err != nil || d < 50*time.Millisecond || d > 150*time.Millisecond {
		t.Errorf("first retry delay %s, %v; want the policy's 100ms ±50%%", d, err)
	}
}

// A server's Retry-After is the wait before the next call.
func TestDoWaitsWhatTheServerAsks(t *testing.T) {
	var waits []time.Duration
	var last time.Time
	_, err := Do(context.Background(), fast(2), func(attempt int) (int, error) {
		if attempt == 1 {
			last = time.Now()
			return 0, AgainAfter(20*time.Millisecond, errLost)
		}
		waits = append(waits, time.Since(last))
		return 1, nil
	})
	if err != nil || len(waits) != 1 || waits[0] < 20*time.Millisecond {
		t.Fatalf("waits %v, err %v; want one retry after at least 20ms", waits, err)
	}
}
