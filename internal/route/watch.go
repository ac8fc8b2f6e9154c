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

// Watch calls changed whenever one of paths is created, removed or rewritten, polling every
// interval until ctx ends. Polling needs nothing from the OS and sees atomic renames.
func Watch(ctx context.Context, paths []string, interval time.Duration, changed func()) {
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	last := make([]fileStamp, len(paths))
	for i, p := range paths {
		last[i] = stamp(p)
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
		for i, p := range paths {
			if s := stamp(p); s != last[i] {
				last[i], moved = s, true
			}
		}
		if moved {
			changed()
		}
	}
}
