package radar

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Open fills in defaults and runs without the cache (with a warning) when it cannot
// open one; Close keeps the stats and git version readable.
func TestOpenAndClose(t *testing.T) {
	r := gittest.NewLocal(t)
	branch(t, r, "a", "main", "a", func() { r.Write("a.txt", "a\n") })
	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var e *Engine
	log := captureWarnings(t, func() {
		e, err = Open(context.Background(), repo, Options{CacheDir: filepath.Join(blocked, "state")})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "running without the radar cache") || e.cache != nil {
		t.Errorf("a cache folder that cannot be made: cache %v, log %q", e.cache, log)
	}
	if e.opts.Workers != 2*runtime.NumCPU() || e.opts.Remote != "origin" {
		t.Errorf("defaults: workers %d remote %q", e.opts.Workers, e.opts.Remote)
	}
	rep := compareOn(t, e, "main", "a")
	if !rep.Clean() || e.Stats.Prefiltered != 1 {
		t.Errorf("compare without a cache: %s, stats %+v", rep.Pairs[0].Summary(), e.Stats)
	}
	if !e.Git.AtLeast(MinGit[0], MinGit[1]) { // asked while the comparison read its commits
		t.Errorf("git after a comparison without a cache: %+v", e.Git)
	}
	git := e.Git
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if e.Stats.Prefiltered != 1 || e.Git != git {
		t.Errorf("after Close: stats %+v git %+v", e.Stats, e.Git)
	}
}
