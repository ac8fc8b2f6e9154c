package kickoff

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
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

// writeRecord stores the record's tag object, tagged by the user, and points
// refs/kickoff/finished/<name> at it.
func (e *Env) writeRecord(ctx context.Context, r Record) error {
	tagger, err := e.Repo.Identity(ctx)
	if err != nil {
		// No identity git accepts (a CI runner nobody configured): the record still says
		// which machine finished the kickoff, rather than failing a finish that is done.
		tagger.Name, _ = os.Hostname()
	}
	tagger.When = r.When
	h, err := e.Repo.WriteTag(ctx, gitrepo.Tag{Name: r.Kickoff.String(), Target: r.Head, Message: r.message(), Tagger: tagger})
	if err != nil {
		return err
	}
	return e.Repo.SetRef(finishedRef(r.Kickoff), h)
}

func finishedRef(k Name) plumbing.ReferenceName {
	return plumbing.ReferenceName(FinishedRefPrefix + k.String())
}

// finishedRecord reads when a finished kickoff finished and its feature branches.
func (e *Env) finishedRecord(k Kickoff) (time.Time, []Feature) {
	h := e.Repo.Ref(finishedRef(k.Name))
	if h.IsZero() {
		return time.Time{}, nil
	}
	tag, err := e.Repo.ReadTag(h)
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

// recordOf reports whether the finished record of k is there and was written for head: an
// interrupted finish of this very kickoff wrote it.
func (e *Env) recordOf(k Name, head plumbing.Hash) bool {
	h := e.refHash(finishedRef(k))
	if h.IsZero() {
		return false
	}
	tag, err := e.Repo.ReadTag(h)
	if err != nil {
		return false
	}
	return tag.Target == head && strings.HasPrefix(tag.Message, fmt.Sprintf("kickoff %s finished\n", k))
}

// recordedFeatures is the feature branches the finished record of k lists.
func (e *Env) recordedFeatures(k Name) []string {
	_, feats := e.finishedRecord(Kickoff{Name: k})
	var out []string
	for _, f := range feats {
		out = append(out, f.Branch)
	}
	return out
}
