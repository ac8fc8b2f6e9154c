package gitrepo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Tag is an annotated tag object on a commit. Kickoff keeps records in them (finished
// kickoffs, version reservations) as well as release tags.
type Tag struct {
	Name    string
	Target  plumbing.Hash // the commit
	Message string
	Tagger  Ident // who and when (Line is not used)
}

// WriteTag stores an annotated tag object and returns its id; no ref is changed. A tagger
// with neither name nor email is the user (see Identity); a zero time is the identity's
// (now, or GIT_COMMITTER_DATE), as git would write it.
func (r *Repo) WriteTag(ctx context.Context, t Tag) (plumbing.Hash, error) {
	tagger := t.Tagger
	if tagger.Name == "" && tagger.Email == "" {
		id, err := r.Identity(ctx)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		tagger.Name, tagger.Email = id.Name, id.Email
		if tagger.When.IsZero() {
			tagger.When = id.When
		}
	}
	if tagger.When.IsZero() {
		tagger.When = time.Now()
	}
	msg := t.Message
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	tag := &object.Tag{
		Name:       t.Name,
		Tagger:     object.Signature{Name: tagger.Name, Email: tagger.Email, When: tagger.When},
		Message:    msg,
		TargetType: plumbing.CommitObject,
		Target:     t.Target,
	}
	obj := r.repo.Storer.NewEncodedObject()
	if err := tag.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("create tag object %s: %w", t.Name, err)
	}
	h, err := r.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("create tag object %s: %w", t.Name, err)
	}
	return h, nil
}

// ReadTag reads the annotated tag object h; it fails when h is not one.
func (r *Repo) ReadTag(h plumbing.Hash) (Tag, error) {
	t, err := r.repo.TagObject(h)
	if err != nil {
		return Tag{}, fmt.Errorf("read tag %s: %w", h, err)
	}
	return Tag{Name: t.Name, Target: t.Target, Message: t.Message,
		Tagger: Ident{Name: t.Tagger.Name, Email: t.Tagger.Email, When: t.Tagger.When}}, nil
}
