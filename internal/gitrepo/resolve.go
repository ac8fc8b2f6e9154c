package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrUnknownRef is wrapped by Resolve's error when nothing here has the name.
var ErrUnknownRef = errors.New("unknown ref")

// AmbiguousError is an abbreviated commit id that names several commits (or tags).
type AmbiguousError struct {
	Ref        string
	Candidates []Candidate
}

// Candidate is one object an abbreviated id may name.
type Candidate struct {
	Hash    plumbing.Hash
	Type    string // commit, tag, tree, blob
	Subject string // a commit's or tag's first line
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q is ambiguous: it abbreviates %d objects here; name one with more characters:", e.Ref, len(e.Candidates))
	for _, c := range e.Candidates {
		fmt.Fprintf(&b, "\n  %s %s", ShortID(c.Hash.String()), c.Type)
		if c.Subject != "" {
			fmt.Fprintf(&b, "  %s", c.Subject)
		}
	}
	return b.String()
}

// Resolve turns a revision into a commit, as `git rev-parse REV^{commit}` does: a branch,
// tag, remote branch, full or abbreviated commit id, or any revision syntax (HEAD~3,
// A^2, origin/x@{1}, v1.2^{}). Like git, a ref name wins over an abbreviated id ("f" is
// a branch before it is a hash prefix; go-git's ResolveRevision tries the hash first, and
// picks any one of several objects sharing a prefix). An abbreviation that names several
// commits is an *AmbiguousError listing them; a name nothing has wraps ErrUnknownRef.
func (r *Repo) Resolve(ref string) (plumbing.Hash, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return plumbing.ZeroHash, fmt.Errorf("%w %q: a ref cannot be empty or start with '-'", ErrUnknownRef, ref)
	}
	for _, full := range []string{ref, "refs/" + ref, "refs/tags/" + ref, "refs/heads/" + ref, "refs/remotes/" + ref} {
		if rf, err := r.repo.Reference(plumbing.ReferenceName(full), true); err == nil {
			return r.PeelCommit(rf.Hash()), nil
		}
	}
	if isHex(ref) && len(ref) >= 4 && len(ref) <= 40 {
		return r.abbreviated(ref)
	}
	// Revision syntax: git's own parser, so every form git accepts works here too.
	out, err := r.run(context.Background(), "rev-parse", "--verify", "--end-of-options", ref)
	if err == nil {
		h := r.PeelCommit(plumbing.NewHash(strings.TrimSpace(out)))
		if !r.isCommit(h) {
			return plumbing.ZeroHash, fmt.Errorf("%q names a tree or file, not a commit: name a branch, tag or commit", ref)
		}
		return h, nil
	}
	var ge *GitError
	if errors.As(err, &ge) {
		if m := ambiguousRe.FindStringSubmatch(ge.Stderr); m != nil {
			if _, aerr := r.abbreviated(m[1]); aerr != nil {
				return plumbing.ZeroHash, fmt.Errorf("%s: %w", ref, aerr)
			}
		}
	}
	return plumbing.ZeroHash, r.unknown(ref)
}

var ambiguousRe = regexp.MustCompile(`short object ID ([0-9a-fA-F]+) is ambiguous`)

// abbreviated resolves a hex prefix: the one commit (or tag of a commit) among the
// objects it abbreviates, as git does where it wants a commit. go-git's storer has no
// prefix lookup across loose objects and pack indexes, so git lists them.
func (r *Repo) abbreviated(prefix string) (plumbing.Hash, error) {
	prefix = strings.ToLower(prefix)
	var ids []plumbing.Hash
	if len(prefix) == 40 {
		ids = []plumbing.Hash{plumbing.NewHash(prefix)}
	} else {
		out, err := r.run(context.Background(), "rev-parse", "--disambiguate="+prefix)
		if err != nil {
			return plumbing.ZeroHash, r.unknown(prefix)
		}
		for _, f := range strings.Fields(out) {
			ids = append(ids, plumbing.NewHash(f))
		}
	}
	var all, commits []Candidate
	peeled := map[plumbing.Hash]bool{} // a commit and a tag of it are one answer
	for _, h := range ids {
		c, ok := r.candidate(h)
		if !ok {
			continue
		}
		all = append(all, c)
		if p := r.PeelCommit(h); r.isCommit(p) {
			commits = append(commits, c)
			peeled[p] = true
		}
	}
	switch {
	case len(peeled) == 1:
		return r.PeelCommit(commits[0].Hash), nil
	case len(peeled) > 1:
		return plumbing.ZeroHash, &AmbiguousError{Ref: prefix, Candidates: commits}
	case len(all) > 0:
		return plumbing.ZeroHash, fmt.Errorf("%q names a %s, not a commit: name a branch, tag or commit", prefix, all[0].Type)
	}
	return plumbing.ZeroHash, r.unknown(prefix)
}

// candidate reads an object's type and, for a commit or tag, its subject.
func (r *Repo) candidate(h plumbing.Hash) (Candidate, bool) {
	o, err := r.repo.Storer.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return Candidate{}, false
	}
	c := Candidate{Hash: h, Type: o.Type().String()}
	switch o.Type() {
	case plumbing.CommitObject:
		if cm, err := object.DecodeCommit(r.repo.Storer, o); err == nil {
			c.Subject = firstLine(cm.Message)
		}
	case plumbing.TagObject:
		if t, err := object.DecodeTag(r.repo.Storer, o); err == nil {
			c.Subject = firstLine(t.Message)
		}
	}
	return c, true
}

func (r *Repo) isCommit(h plumbing.Hash) bool {
	_, err := r.commit(h)
	return err == nil
}

// unknown is the error for a name nothing here has; in a shallow clone the commit may
// lie beyond its history, so the fix is said too.
func (r *Repo) unknown(ref string) error {
	hint := "not a branch, tag or commit here (fetch it first?)"
	if _, err := os.Stat(filepath.Join(r.CommonDir, "shallow")); err == nil {
		hint = "not a branch, tag or commit in this shallow clone: fetch it, or the history it needs (`git fetch --unshallow`)"
	}
	return fmt.Errorf("%w %q: %s", ErrUnknownRef, ref, hint)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
