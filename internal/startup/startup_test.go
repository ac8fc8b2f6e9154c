package startup

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The collector is off from this package's initialisation, with a memory limit as a
// safety net; Done turns it on with a goal of 16 MB and GOGC=100 after its first cycle.
func TestCollectorOffUntilDoneThenDefaults(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT set: the package leaves the collector alone")
	}
	if !paused {
		t.Fatal("not paused at start")
	}
	if limit := debug.SetMemoryLimit(-1); limit != pausedLimit {
		t.Errorf("memory limit while paused: %d, want %d", limit, pausedLimit)
	}
	if pct := debug.SetGCPercent(-1); pct != -1 {
		t.Errorf("GOGC while paused: %d, want off", pct)
	}
	Done()
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		t.Errorf("memory limit after Done: %d, want none", limit)
	}
	if pct := debug.SetGCPercent(startGOGC); pct != startGOGC {
		t.Errorf("GOGC after Done: %d, want %d", pct, startGOGC)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC() // the cycle that finds the sentinel unreachable queues its finalizer
		time.Sleep(10 * time.Millisecond)
		pct := debug.SetGCPercent(-2) // reads it (negative values are all "off"; set back below)
		debug.SetGCPercent(pct)
		if pct == 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GOGC after the first cycle: %d, want 100", pct)
		}
	}
	Done() // a second call changes nothing
	if pct := debug.SetGCPercent(100); pct != 100 {
		t.Errorf("GOGC after a second Done: %d", pct)
	}
}
