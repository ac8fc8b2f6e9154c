package gitrepo

import (
	"container/heap"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// AheadBehind counts the commits reachable from left but not right (onlyLeft) and from
// right but not left (onlyRight): `git rev-list --left-right --count left...right`.
//
// It walks both histories newest first and stops as soon as every commit still queued is
// reachable from both sides, so the cost is the commits since the merge base, not the
// whole history (go-git's IsAncestor walks everything when the answer is no).
func (r *Repo) AheadBehind(left, right plumbing.Hash) (onlyLeft, onlyRight int, err error) {
	if left == right {
		return 0, 0, nil
	}
	const (
		fL    = 1
		fR    = 2
		fBoth = fL | fR
	)
	flags := map[plumbing.Hash]uint8{}
	counted := map[plumbing.Hash]uint8{} // the flag a popped commit was counted under
	q := &commitQueue{}
	queued := map[plumbing.Hash]bool{}
	nonStale := 0 // queued commits not yet known to be common
	revisits := 0 // queued commits counted earlier whose side changed since
	push := func(c *object.Commit) {
		queued[c.Hash] = true
		if flags[c.Hash] != fBoth {
			nonStale++
		}
		if counted[c.Hash] != 0 {
			revisits++
		}
		heap.Push(q, c)
	}
	// slop: after everything queued is common, a few more commits are walked so that equal
	// or skewed commit times (a parent popped before its child) are corrected, as git does.
	slop := 8
	for _, side := range []struct {
		h plumbing.Hash
		f uint8
	}{{left, fL}, {right, fR}} {
		c, err := r.commit(side.h)
		if err != nil {
			return 0, 0, fmt.Errorf("read commit %s: %w", side.h, err)
		}
		flags[side.h] |= side.f
		push(c)
	}
	for q.Len() > 0 {
		if nonStale == 0 && revisits == 0 {
			if slop == 0 {
				break
			}
			slop--
		}
		c := heap.Pop(q).(*object.Commit)
		delete(queued, c.Hash)
		f := flags[c.Hash]
		if f != fBoth {
			nonStale--
		}
		if counted[c.Hash] != 0 {
			revisits--
		}
		// A commit counted earlier under one side and now reached from the other (clock
		// skew) is common after all: take its count back.
		switch counted[c.Hash] {
		case fL:
			onlyLeft--
		case fR:
			onlyRight--
		}
		delete(counted, c.Hash)
		switch f {
		case fL:
			onlyLeft++
			counted[c.Hash] = fL
		case fR:
			onlyRight++
			counted[c.Hash] = fR
		}
		for _, ph := range c.ParentHashes {
			old := flags[ph]
			nf := old | f
			if nf == old {
				continue
			}
			flags[ph] = nf
			if queued[ph] {
				if nf == fBoth {
					nonStale--
				}
				continue
			}
			p, err := r.commit(ph)
			if err != nil {
				return 0, 0, fmt.Errorf("read commit %s: %w", ph, err)
			}
			push(p)
		}
	}
	return onlyLeft, onlyRight, nil
}

// commit reads a commit once per process: history walks revisit the same commits many
// times (one walk per kickoff and feature), and go-git reopens the pack for every read.
func (r *Repo) commit(h plumbing.Hash) (*object.Commit, error) {
	r.mu.Lock()
	c, ok := r.commits[h]
	r.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := r.repo.CommitObject(h)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.commits == nil {
		r.commits = map[plumbing.Hash]*object.Commit{}
	}
	r.commits[h] = c
	r.mu.Unlock()
	return c, nil
}

// IsAncestor reports whether commit a is reachable from b (a == b counts).
func (r *Repo) IsAncestor(a, b plumbing.Hash) (bool, error) {
	onlyA, _, err := r.AheadBehind(a, b)
	return onlyA == 0, err
}

// CommitInfo is what listings show of a commit.
type CommitInfo struct {
	Hash    plumbing.Hash
	Author  string
	Email   string
	When    time.Time
	Subject string
	Parents []plumbing.Hash
}

// Commit reads a commit's author, time, subject and parents.
func (r *Repo) Commit(h plumbing.Hash) (CommitInfo, error) {
	c, err := r.repo.CommitObject(h)
	if err != nil {
		return CommitInfo{}, fmt.Errorf("read commit %s: %w", h, err)
	}
	subject := c.Message
	for i, ch := range subject {
		if ch == '\n' {
			subject = subject[:i]
			break
		}
	}
	return CommitInfo{Hash: h, Author: c.Author.Name, Email: c.Author.Email, When: c.Author.When, Subject: subject, Parents: c.ParentHashes}, nil
}

// PeelCommit resolves a ref target that may be an annotated tag to its commit.
func (r *Repo) PeelCommit(h plumbing.Hash) plumbing.Hash {
	for i := 0; i < 10; i++ {
		t, err := r.repo.TagObject(h)
		if err != nil {
			return h
		}
		h = t.Target
	}
	return h
}

// commitQueue is a max-heap of commits by committer time.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	return q[i].Committer.When.After(q[j].Committer.When)
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}
