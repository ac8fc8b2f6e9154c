// Package startup keeps the garbage collector from running while the program's packages
// initialise, and until the heap first reaches a size worth collecting.
//
// Some dependencies build tables when they load (compose-go's JSON-schema library
// compiles five meta-schemas: 1.7 MB in 21,000 allocations), which passes the
// collector's first 4 MB goal, so every command, `kickoff --version` included, paid for
// a collection before its first line of code ran, and most commands, which allocate a
// few MB more, for another. Go initialises a program's packages in order of import path
// among those whose imports are done (the language specification, since Go 1.21), so
// this one, which imports little, runs before those and turns the collector off. main
// calls Done first thing: the collector comes back with a first goal of 16 MB, and once
// it has run its usual GOGC=100. Until Done, a memory limit stands in for the goal, so a
// program that never calls it (a test binary) still collects. GOGC or GOMEMLIMIT in the
// environment leave it all alone.
package startup

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
)

// startGOGC sets the first goal: the runtime's minimum heap (4 MB) scaled by GOGC/100.
const startGOGC = 400

// pausedLimit is the heap past which the collector runs while it is off.
const pausedLimit = 64 << 20

var paused bool

func init() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(pausedLimit)
	paused = true
}

// Done turns the collector back on, its first goal 16 MB, then GOGC=100 after its first
// cycle.
func Done() {
	if !paused {
		return
	}
	paused = false
	debug.SetMemoryLimit(math.MaxInt64)
	debug.SetGCPercent(startGOGC)
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) { debug.SetGCPercent(100) })
}
