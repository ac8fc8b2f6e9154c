package gitrepo

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// The history walks below use the git binary: one process walks the whole range with
// git's commit-graph, where go-git would read each commit object in turn.

// LogEntry is one commit as release notes read it.
type LogEntry struct {
	Hash    plumbing.Hash
	Author  string
	Date    time.Time
	Parents []plumbing.Hash
	Subject string
	Body    string // the message after the subject, trimmed
}

// Log lists the commits reachable from to and from none of exclude, newest first
// (git log to ^exclude...).
func (r *Repo) Log(ctx context.Context, to string, exclude []string) ([]LogEntry, error) {
	args := []string{"log", "--format=%H%x00%an%x00%aI%x00%P%x00%s%x00%b%x1e", to}
	args = append(args, negate(exclude)...)
	out, err := r.run(ctx, append(args, "--")...)
	if err != nil {
		return nil, err
	}
	var log []LogEntry
	for _, rec := range strings.Split(out, "\x1e") {
		f := strings.Split(strings.TrimLeft(rec, "\n"), "\x00")
		if len(f) != 6 {
			continue
		}
		d, _ := time.Parse(time.RFC3339, f[2])
		e := LogEntry{Hash: plumbing.NewHash(f[0]), Author: f[1], Date: d, Subject: f[4], Body: strings.TrimSpace(f[5])}
		for _, p := range strings.Fields(f[3]) {
			e.Parents = append(e.Parents, plumbing.NewHash(p))
		}
		log = append(log, e)
	}
	return log, nil
}

// RevList lists the commits reachable from include and from none of exclude
// (git rev-list include ^exclude...).
func (r *Repo) RevList(ctx context.Context, include string, exclude ...string) ([]plumbing.Hash, error) {
	out, err := r.run(ctx, append([]string{"rev-list", include}, negate(exclude)...)...)
	if err != nil {
		return nil, err
	}
	var hs []plumbing.Hash
	for _, h := range strings.Fields(out) {
		hs = append(hs, plumbing.NewHash(h))
	}
	return hs, nil
}

func negate(revs []string) []string {
	out := make([]string, len(revs))
	for i, r := range revs {
		out[i] = "^" + r
	}
	return out
}

// MainlineContaining lists the commits of rev's first-parent line that contain commit,
// oldest first (git rev-list --first-parent --ancestry-path --reverse commit..rev): the
// first is the one that brought commit into rev's line (commit itself excluded).
func (r *Repo) MainlineContaining(ctx context.Context, commit, rev string) ([]plumbing.Hash, error) {
	out, err := r.run(ctx, "rev-list", "--first-parent", "--ancestry-path", "--reverse", commit+".."+rev, "--")
	if err != nil {
		return nil, err
	}
	var hs []plumbing.Hash
	for _, h := range strings.Fields(out) {
		hs = append(hs, plumbing.NewHash(h))
	}
	return hs, nil
}

// FirstParentBefore is the newest commit of rev's first-parent line committed before t
// (zero when none).
func (r *Repo) FirstParentBefore(ctx context.Context, rev string, t time.Time) (plumbing.Hash, error) {
	out, err := r.run(ctx, "rev-list", "--first-parent", "-n", "1", "--before="+strconv.FormatInt(t.Unix(), 10), rev, "--")
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return plumbing.NewHash(strings.TrimSpace(out)), nil
}
