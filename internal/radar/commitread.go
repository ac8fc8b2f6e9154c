package radar

import (
	"bytes"
	"io"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// commitInfo is what the radar reads of most commits: the root tree, the parents and
// the committer's time (Unix seconds).
type commitInfo struct {
	tree    plumbing.Hash
	parents []plumbing.Hash
	when    int64
}

// readCommit reads a commit's header lines, which is all the merge-base walk and the
// tree diffs need: go-git's full decode also scans signatures, merge tags and the
// message, several times the cost on a history of signed merges. A header it cannot read
// as go-git would (no committer time) is left to go-git's decode, so both agree.
func readCommit(st storer.EncodedObjectStorer, h plumbing.Hash) (commitInfo, error) {
	o, err := st.EncodedObject(plumbing.CommitObject, h)
	if err != nil {
		return commitInfo{}, err
	}
	var data []byte
	if po, ok := o.(*packedObject); ok {
		_, data, err = po.r.content(po.off) // no copy: only read here
	} else {
		var r io.ReadCloser
		if r, err = o.Reader(); err == nil {
			data, err = io.ReadAll(r)
			r.Close()
		}
	}
	if err != nil {
		return commitInfo{}, err
	}
	if ci, ok := parseCommitHeader(data); ok {
		return ci, nil
	}
	c, err := object.DecodeCommit(st, o)
	if err != nil {
		return commitInfo{}, err
	}
	return commitInfo{tree: c.TreeHash, parents: c.ParentHashes, when: c.Committer.When.Unix()}, nil
}

// parseCommitHeader reads tree, parent and committer lines up to the blank line that
// ends the header (a later line of the same name wins for tree and committer, as in
// go-git's decode; continuation lines, which start with a space, are skipped).
func parseCommitHeader(data []byte) (ci commitInfo, ok bool) {
	timed := false
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte{'\n'})
		data = rest
		if len(line) == 0 {
			break
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "tree":
			ci.tree = plumbing.NewHash(string(val))
		case "parent":
			ci.parents = append(ci.parents, plumbing.NewHash(string(val)))
		case "committer":
			ci.when, timed = signatureTime(val)
		}
	}
	return ci, timed
}

// signatureTime is the time of "Name <email> 1700000000 +0100", read as go-git reads it.
func signatureTime(b []byte) (int64, bool) {
	open, close := bytes.LastIndexByte(b, '<'), bytes.LastIndexByte(b, '>')
	if open < 0 || close < open || close+2 >= len(b) {
		return 0, false
	}
	b = b[close+2:]
	if sp := bytes.IndexByte(b, ' '); sp >= 0 {
		b = b[:sp]
	}
	ts, err := strconv.ParseInt(string(b), 10, 64)
	return ts, err == nil
}
