package kickoff

import (
	"fmt"
	"os"
	"strings"
	"time"

	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// A finished kickoff is kept as an annotated tag object at refs/kickoff/finished/<name>
// (outside refs/tags, so release tooling never sees it): it points at the kickoff's last
// commit, its tagger time is when it finished, and its message lists the main commit that
// contains it, its feature branches and notes from finish hooks ("version: ..."), one
// "key: value" a line. `list --all` reads it; it is pushed so every clone sees it.

// Record is what a finished kickoff's record holds.
type Record struct {
	Kickoff    Name
	Head       plumbing.Hash // the kickoff's last commit
	MainCommit plumbing.Hash // main's commit containing it when it finished
	Features   []string
	Notes      []string // "key: value" lines from finish hooks
	When       time.Time
}

func (r Record) message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kickoff %s finished\n\nmain: %s\n", r.Kickoff, r.MainCommit)
	if len(r.Features) > 0 {
		fmt.Fprintf(&b, "features: %s\n", strings.Join(r.Features, ", "))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s\n", strings.TrimSpace(n))
	}
	return b.String()
}

// writeRecord stores the record's tag object and points refs/kickoff/finished/<name> at it.
func (e *Env) writeRecord(r Record) error {
	tag := &object.Tag{
		Name:       r.Kickoff.String(),
		Tagger:     e.signature(r.When),
		Message:    r.message(),
		TargetType: plumbing.CommitObject,
		Target:     r.Head,
	}
	obj := e.Repo.Git.Storer.NewEncodedObject()
	if err := tag.Encode(obj); err != nil {
		return err
	}
	h, err := e.Repo.Git.Storer.SetEncodedObject(obj)
	if err != nil {
		return err
	}
	return e.Repo.Git.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(FinishedRefPrefix+r.Kickoff.String()), h))
}

// finishedRecord reads when a finished kickoff finished and its feature branches.
func (e *Env) finishedRecord(k Kickoff) (time.Time, []Feature) {
	ref, err := e.Repo.Git.Reference(plumbing.ReferenceName(FinishedRefPrefix+k.Name.String()), true)
	if err != nil {
		return time.Time{}, nil
	}
	tag, err := e.Repo.Git.TagObject(ref.Hash())
	if err != nil {
		return time.Time{}, nil // a plain ref: no details
	}
	var feats []Feature
	for _, line := range strings.Split(tag.Message, "\n") {
		if v, ok := strings.CutPrefix(line, "features: "); ok {
			for _, f := range strings.Split(v, ", ") {
				feats = append(feats, Feature{Branch: f})
			}
		}
	}
	return tag.Tagger.When, feats
}

// signature is the user's identity as git would use it for a tag.
func (e *Env) signature(when time.Time) object.Signature {
	name, email := e.getenv("GIT_COMMITTER_NAME"), e.getenv("GIT_COMMITTER_EMAIL")
	if name == "" || email == "" {
		if cfg, err := e.Repo.Git.ConfigScoped(gitconfig.GlobalScope); err == nil {
			if name == "" {
				name = cfg.User.Name
			}
			if email == "" {
				email = cfg.User.Email
			}
		}
	}
	if name == "" || email == "" {
		if out, err := e.Repo.Run(contextBackground(), "var", "GIT_COMMITTER_IDENT"); err == nil {
			// "Name <email> 1700000000 +0000"
			if i := strings.Index(out, " <"); i > 0 && name == "" {
				name = out[:i]
			}
			if i, j := strings.Index(out, "<"), strings.Index(out, ">"); i >= 0 && j > i && email == "" {
				email = out[i+1 : j]
			}
		}
	}
	if name == "" {
		name, _ = os.Hostname()
	}
	return object.Signature{Name: name, Email: email, When: when}
}
