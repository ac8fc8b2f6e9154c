package route

import (
	"context"
	"os"
	"time"
)

// DefaultWatchInterval is how often `kickoff serve` looks for changed configuration or routes.
const DefaultWatchInterval = time.Second

type fileStamp struct {
	exists  bool
	size    int64
	modTime time.Time
}

func stamp(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{exists: true, size: fi.Size(), modTime: fi.ModTime()}
}

// Watcher polls files for changes. NewWatcher notes their state at once, so a change made
// after it returns is seen even if Run has not started yet (serve loads the routes, then
// starts watching in a goroutine).
type Watcher struct {
	paths []string
	last  []fileStamp
}

// NewWatcher notes the current state of paths.
func NewWatcher(paths ...string) *Watcher {
	w := &Watcher{paths: paths, last: make([]fileStamp, len(paths))}
	for i, p := range paths {
		w.last[i] = stamp(p)
	}
	return w
}

// Run calls changed whenever one of the paths is created, removed or rewritten, polling
// every interval until ctx ends. Polling needs nothing from the OS and sees atomic renames.
func (w *Watcher) Run(ctx context.Context, interval time.Duration, changed func()) {
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		moved := false
		for i, p := range w.paths {
			if s := stamp(p); s != w.last[i] {
				w.last[i], moved = s, true
			}
		}
		if moved {
			changed()
		}
	}
}
