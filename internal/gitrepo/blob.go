package gitrepo

import (
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrNoCommit is a commit the repository does not hold.
var ErrNoCommit = errors.New("no such commit in this repository")

// ErrNoFile is a path a commit's tree does not hold.
var ErrNoFile = errors.New("no such file at that commit")

// FileAt returns the content of the file at name (slash-separated, relative to the top of
// the work tree) as commit holds it. commit must be a full 40-hex commit id: a restore reads
// exactly the commit a ledger record names, never a ref that may have moved since.
func (r *Repo) FileAt(commit, name string) ([]byte, error) {
	if !plumbing.IsHash(commit) {
		return nil, fmt.Errorf("%q is not a full commit id (40 hex digits)", commit)
	}
	c, err := r.repo.CommitObject(plumbing.NewHash(commit))
	if err != nil {
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, fmt.Errorf("commit %s: %w (fetch it, e.g. `git fetch`, or it was never pushed)", commit, ErrNoCommit)
		}
		return nil, fmt.Errorf("read commit %s: %w", commit, err)
	}
	f, err := c.File(path.Clean(name))
	if err != nil {
		if errors.Is(err, object.ErrFileNotFound) {
			return nil, fmt.Errorf("%s at commit %s: %w", name, commit[:12], ErrNoFile)
		}
		return nil, fmt.Errorf("read %s at commit %s: %w", name, commit[:12], err)
	}
	rd, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %s at commit %s: %w", name, commit[:12], err)
	}
	defer rd.Close()
	return io.ReadAll(rd)
}
