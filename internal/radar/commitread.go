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
		// A commit as git writes it has its tree, parents and committer in its first few
		// hundred bytes, ahead of any signature and the message: only those are inflated.
		if head, whole, err := po.r.head(po.off, commitHead); err == nil && whole {
			if ci, ok := commitStart(head); ok {
				return ci, nil
			}
		}
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

// commitHead is how much of a packed commit readCommit inflates first (see commitStart).
const commitHead = 512

// commitStart reads tree, parents and committer time from the start of a commit in the
// shape git writes (and reads: parse_commit_buffer): a tree line, parent lines, then
// author and committer lines. ok is false when data has another shape or ends before the
// committer line does; then the whole commit is read (parseCommitHeader). A malformed
// commit repeating a header later is read as git reads it: the first one counts.
func commitStart(data []byte) (ci commitInfo, ok bool) {
	line := func() []byte {
		l, rest, found := bytes.Cut(data, []byte{'\n'})
		if !found {
			return nil // the line does not end within data
		}
		data = rest
		return l
	}
	id := func(l []byte, key string) (h plumbing.Hash, ok bool) {
		v, found := bytes.CutPrefix(l, []byte(key))
		if !found || !plumbing.IsHash(string(v)) {
			return h, false
		}
		return plumbing.NewHash(string(v)), true
	}
	if ci.tree, ok = id(line(), "tree "); !ok {
		return ci, false
	}
	l := line()
	for p, isParent := id(l, "parent "); isParent; p, isParent = id(l, "parent ") {
		ci.parents = append(ci.parents, p)
		l = line()
	}
	if !bytes.HasPrefix(l, []byte("author ")) {
		return ci, false
	}
	committer, found := bytes.CutPrefix(line(), []byte("committer "))
	if !found {
		return ci, false
	}
	ci.when, ok = signatureTime(committer)
	return ci, ok
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
