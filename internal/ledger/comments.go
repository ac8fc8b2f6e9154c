package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Commenter posts a comment on a Jira issue unless one there already carries marker;
// *jira.Client is one.
type Commenter interface {
	CommentOnce(ctx context.Context, key, marker, body string) (added bool, err error)
}

// DeployComment is one Jira comment a deploy calls for.
type DeployComment struct {
	Key    string
	Marker string // unique per deploy and kind, searched for before commenting
	Body   string
}

// Marker is the text that makes a deploy's comment findable: kickoff:deploy=<id>:<kind>.
func Marker(recordID, kind string) string { return "kickoff:deploy=" + recordID + ":" + kind }

// commentable reports records that change what a slot runs.
func commentable(r Record) bool {
	return r.Outcome == OutcomeSucceeded && (r.Action == ActionRelease || r.Action == ActionRollback || r.Action == ActionDown)
}

// DeployComments lists the comments record r calls for: one on each issue it brings to the
// slot ("landed"), and one on each issue the slot ran before and no longer does ("replaced").
// before and after are the slot's states around r.
func DeployComments(before, after SlotState, r Record) []DeployComment {
	if !commentable(r) {
		return nil
	}
	when := r.Time.UTC().Format("2006-01-02 15:04 UTC")
	what := r.Kickoff
	if r.Version != "" {
		what += " (platform " + r.Version
		if r.RC != "" {
			what += ", " + r.RC
		}
		what += ")"
	}
	verb := "deployed"
	if r.Action == ActionRollback {
		verb = "rolled back"
	}
	var out []DeployComment
	if r.Action != ActionDown {
		for _, is := range r.Issues {
			m := Marker(r.ID, "landed")
			out = append(out, DeployComment{Key: is.Key, Marker: m, Body: fmt.Sprintf(
				"%s is on %s: %s %s by %s at %s. [%s]", is.Key, r.Slot, what, verb, orSomeone(r.Actor), when, m)})
		}
	}
	for _, is := range before.Issues {
		if slices.ContainsFunc(after.Issues, func(x Issue) bool { return x.Key == is.Key }) {
			continue
		}
		m := Marker(r.ID, "replaced")
		why := fmt.Sprintf("replaced by %s", what)
		if r.Action == ActionDown {
			why = "the slot was taken down"
		}
		out = append(out, DeployComment{Key: is.Key, Marker: m, Body: fmt.Sprintf(
			"%s is no longer on %s: %s, by %s at %s. [%s]", is.Key, r.Slot, why, orSomeone(r.Actor), when, m)})
	}
	return out
}

func orSomeone(a string) string {
	if a == "" {
		return "someone"
	}
	return a
}

// Commenting is a Store that, after recording a successful release, rollback or slot down,
// comments the Jira issues that landed on or left the slot (jira.comment_on_deploy). A Jira
// failure never fails the deploy: it is reported through Warn.
type Commenting struct {
	Store
	Jira Commenter
	Warn func(msg string)
	Now  func() time.Time
}

// Append records r, then comments.
func (c *Commenting) Append(ctx context.Context, r Record) (Record, error) {
	if !commentable(r) {
		return c.Store.Append(ctx, r)
	}
	prior, readErr := c.Store.Replay(ctx)
	saved, err := c.Store.Append(ctx, r)
	if err != nil {
		return saved, err
	}
	if readErr != nil {
		c.warn(fmt.Sprintf("Jira comments for deploy %s skipped: %v", saved.ID, readErr))
		return saved, nil
	}
	c.notify(ctx, prior, saved)
	return saved, nil
}

// Notify comments record r given the slot's earlier records; it is safe to repeat.
func (c *Commenting) Notify(ctx context.Context, prior []Record, r Record) (added int) {
	prior = slices.DeleteFunc(slices.Clone(prior), func(x Record) bool { return x.ID == r.ID })
	slices.SortFunc(prior, func(a, b Record) int { return strings.Compare(a.ID, b.ID) })
	p := &Replay{}
	for _, x := range prior {
		p.Add(x)
	}
	return c.notify(ctx, p, r)
}

// notify comments record r given the replay of the records before it (which it continues).
func (c *Commenting) notify(ctx context.Context, p *Replay, r Record) (added int) {
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	before := p.state(r.Slot, now)
	p.Add(r)
	after := p.state(r.Slot, now)
	var failed []string
	for _, dc := range DeployComments(before, after, r) {
		ok, err := c.Jira.CommentOnce(ctx, dc.Key, dc.Marker, dc.Body)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", dc.Key, err))
			continue
		}
		if ok {
			added++
		}
	}
	if len(failed) > 0 {
		c.warn("could not comment on Jira (the deploy itself is recorded): " + strings.Join(failed, "; "))
	}
	return added
}

func (c *Commenting) warn(msg string) { warn(c.Warn, msg) }
