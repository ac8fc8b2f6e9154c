package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Ref is a ref's commit or object id, zero when the ref does not exist (symbolic refs are
// followed).
func (r *Repo) Ref(name plumbing.ReferenceName) plumbing.Hash {
	ref, err := r.repo.Reference(name, true)
	if err != nil {
		return plumbing.ZeroHash
	}
	return ref.Hash()
}

// ForEachRef calls fn for every ref that points at an object (symbolic refs such as HEAD
// are skipped), in no particular order. An error from fn stops the walk and is returned.
func (r *Repo) ForEachRef(fn func(name plumbing.ReferenceName, h plumbing.Hash) error) error {
	refs, err := r.repo.Storer.IterReferences()
	if err != nil {
		return fmt.Errorf("read refs: %w", err)
	}
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() != plumbing.HashReference {
			return nil
		}
		return fn(ref.Name(), ref.Hash())
	})
	if errors.Is(err, storer.ErrStop) {
		return nil
	}
	return err
}

// SetRef points a ref at h, whatever it held before.
func (r *Repo) SetRef(name plumbing.ReferenceName, h plumbing.Hash) error {
	return r.repo.Storer.SetReference(plumbing.NewHashReference(name, h))
}

// DeleteRef removes a ref; a missing ref is not an error.
func (r *Repo) DeleteRef(name plumbing.ReferenceName) error {
	return r.repo.Storer.RemoveReference(name)
}

// SwapRef points a ref at h if it still points at old (zero old: whatever it holds, or
// nothing), so a concurrent change is not overwritten.
func (r *Repo) SwapRef(name plumbing.ReferenceName, h, old plumbing.Hash) error {
	var oldRef *plumbing.Reference
	if !old.IsZero() {
		oldRef = plumbing.NewHashReference(name, old)
	}
	return r.repo.Storer.CheckAndSetReference(plumbing.NewHashReference(name, h), oldRef)
}

// RefUpdate changes one ref: to New (zero deletes it), and, where the update is checked,
// only while it still has Old (zero: only while it does not exist).
type RefUpdate struct {
	Name     plumbing.ReferenceName
	New, Old plumbing.Hash
}

// ErrRefChanged means a checked ref update found another value than the one it expected:
// another process changed the ref first.
var ErrRefChanged = errors.New("a ref changed meanwhile")

// UpdateRefs applies all updates or none, each only while its ref still has Old
// (git update-ref --stdin transaction: go-git has no multi-ref transaction). It returns
// ErrRefChanged when a ref did not hold what was expected.
func (r *Repo) UpdateRefs(ctx context.Context, ups []RefUpdate) error {
	var b strings.Builder
	b.WriteString("start\n")
	for _, u := range ups {
		switch {
		case u.New.IsZero():
			fmt.Fprintf(&b, "delete %s %s\n", u.Name, u.Old)
		case u.Old.IsZero():
			fmt.Fprintf(&b, "create %s %s\n", u.Name, u.New)
		default:
			fmt.Fprintf(&b, "update %s %s %s\n", u.Name, u.New, u.Old)
		}
	}
	b.WriteString("commit\n")
	if _, err := r.runInput(ctx, b.String(), "update-ref", "--stdin"); err != nil {
		return fmt.Errorf("%w: %v", ErrRefChanged, err)
	}
	return nil
}

// ForceRefs sets each ref to New (deleting it when New is zero), ignoring Old and what the
// ref held: it mirrors locally what a remote was just told.
func (r *Repo) ForceRefs(ctx context.Context, ups []RefUpdate) error {
	var b strings.Builder
	for _, u := range ups {
		if u.New.IsZero() {
			fmt.Fprintf(&b, "delete %s\n", u.Name)
		} else {
			fmt.Fprintf(&b, "update %s %s\n", u.Name, u.New)
		}
	}
	_, err := r.runInput(ctx, b.String(), "update-ref", "--stdin")
	return err
}

// RefDetail is a ref with what listings of tags show: its object, the commit it peels to,
// when it was made (the tagger date of an annotated tag, else the commit date) and the
// subject of its message.
type RefDetail struct {
	Name    plumbing.ReferenceName
	Hash    plumbing.Hash
	Commit  plumbing.Hash
	Date    time.Time
	Subject string
}

// RefDetails lists the refs under the given prefixes ("refs/tags/") with their dates and
// subjects (git for-each-ref: it reads every tag object in one process, where go-git
// would open them one by one).
func (r *Repo) RefDetails(ctx context.Context, prefixes ...string) ([]RefDetail, error) {
	const format = "%(refname)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)%00%(contents:subject)"
	out, err := r.run(ctx, append([]string{"for-each-ref", "--format=" + format}, prefixes...)...)
	if err != nil {
		return nil, err
	}
	var refs []RefDetail
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 5 {
			continue
		}
		d := RefDetail{Name: plumbing.ReferenceName(f[0]), Hash: plumbing.NewHash(f[1]), Subject: f[4]}
		d.Commit = d.Hash
		if f[2] != "" {
			d.Commit = plumbing.NewHash(f[2])
		}
		if sec, err := strconv.ParseInt(f[3], 10, 64); err == nil {
			d.Date = time.Unix(sec, 0).UTC()
		}
		refs = append(refs, d)
	}
	return refs, nil
}
