package radar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
)

// mergePool merges pairs with a bounded pool of git merge-tree processes while the
// caller goes on preparing pairs: git runs on one core while the in-process work runs
// on another. The in-process work on each result (ranges, overlaps, attribution) and
// the caller's preparation share the engine's reads, so both hold e.mu. Where git has
// merge-tree --stdin (2.40 and later), the pairs go to it once all are known, in one
// batch per worker: a process per worker instead of one per pair. Otherwise, and for a
// batch git could not finish, one process per pair, started as soon as the pair is known.
type mergePool struct {
	ctx      context.Context
	cancel   context.CancelFunc
	ch       chan []*job
	batch    []*job // pairs waiting for wait (--stdin only)
	stdin    bool
	env      []string // see graphState.gitEnv
	workers  int
	wg       sync.WaitGroup
	errOnce  sync.Once
	firstErr error
}

// startMerges starts the pool for at most n pairs; progress is called under e.mu.
func (e *Engine) startMerges(ctx context.Context, n int, progress func()) *mergePool {
	m := &mergePool{ch: make(chan []*job, n), stdin: e.Git.AtLeast(2, 40), workers: min(e.opts.Workers, n), env: e.cg.gitEnv()}
	m.ctx, m.cancel = context.WithCancel(ctx)
	for w := 0; w < m.workers; w++ {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			for batch := range m.ch {
				if m.ctx.Err() != nil {
					continue
				}
				dirs := make([]mergeDir, len(batch))
				e.mu.Lock()
				for i, j := range batch {
					if j.spec != nil {
						continue // merged in the work tree already (see speculate)
					}
					var err error
					if dirs[i], err = e.mergeDir(j); err != nil {
						m.errOnce.Do(func() { m.firstErr = err; m.cancel() })
					}
				}
				e.mu.Unlock()
				results := m.merge(dirs, batch)
				for _, d := range dirs {
					d.remove()
				}
				for i, j := range batch {
					e.mu.Lock()
					err := results[i].err
					if err == nil {
						err = e.finish(j, results[i].mt)
					}
					if err != nil {
						if errors.Is(err, ErrUnrelated) {
							err = fmt.Errorf("%s and %s have unrelated histories: they cannot be merged", j.result.A, j.result.B)
						}
						m.errOnce.Do(func() { m.firstErr = err; m.cancel() })
					} else {
						progress()
					}
					e.mu.Unlock()
				}
			}
		}()
	}
	return m
}

type mergeOutcome struct {
	mt  *mergeTreeResult
	err error
}

// merge runs git for a batch: one --stdin process when it can (every pair merging in the
// same folder), else (or when that process fails) one process per pair, so a failure is
// reported for the pair it is about.
func (m *mergePool) merge(dirs []mergeDir, batch []*job) []mergeOutcome {
	out := make([]mergeOutcome, len(batch))
	dir := dirs[0]
	if m.stdin && len(batch) > 1 && !slices.ContainsFunc(dirs, func(d mergeDir) bool { return d.tmp }) {
		pairs := make([][2]string, len(batch))
		for i, j := range batch {
			pairs[i] = [2]string{j.a.String(), j.b.String()}
		}
		mts, err := runMergeTrees(m.ctx, dir, m.env, pairs)
		if err == nil {
			for i, mt := range mts {
				out[i].mt = mt
			}
			return out
		}
		slog.Debug("git merge-tree --stdin failed; merging the batch pair by pair", "err", err)
	}
	for i, j := range batch {
		if j.spec != nil {
			select {
			case <-j.spec.done:
				out[i] = j.spec.out
			case <-m.ctx.Done():
				out[i].err = m.ctx.Err()
			}
			continue
		}
		out[i].mt, out[i].err = runMergeTree(m.ctx, dirs[i], m.env, j.a.String(), j.b.String())
	}
	return out
}

// add queues a pair; it never blocks (the queue holds every pair startMerges was told of).
// With --stdin the pairs wait for wait, which shares them among the workers; a pair whose
// merge started early (see speculate) only waits for it.
func (m *mergePool) add(j *job) {
	if m.stdin && j.spec == nil {
		m.batch = append(m.batch, j)
		return
	}
	m.ch <- []*job{j}
}

// wait sends what is left, waits for every queued merge and returns the first error.
func (m *mergePool) wait() error {
	defer m.cancel()
	// As many batches as workers, so the batches run side by side.
	for w, n := 0, m.workers; len(m.batch) > 0; w++ {
		k := (len(m.batch) + n - w - 1) / (n - w)
		m.ch <- m.batch[:k]
		m.batch = m.batch[k:]
	}
	close(m.ch)
	m.wg.Wait()
	if m.firstErr != nil {
		return m.firstErr
	}
	return m.ctx.Err()
}
