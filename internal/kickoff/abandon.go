package kickoff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// AbandonedRefPrefix holds one record per abandoned kickoff: an annotated tag object saying
// who abandoned it, when, and which branch tips and commits (not in main) were dropped. It
// keeps those tips reachable (a keeper commit whose parents they are, when there are more
// than one), so nothing is lost: any branch can be put back from the record.
const AbandonedRefPrefix = "refs/kickoff/abandoned/"

// maxDroppedListed bounds the commits the record lists one by one; all of them stay
// reachable from the tips it lists.
const maxDroppedListed = 200

// AbandonOptions are the inputs of `kickoff abandon`.
type AbandonOptions struct {
	FeaturePrefix string
	Version       string                          // its platform version tag, for the record ("" none)
	FreeVersion   func(ctx context.Context) error // frees that reservation; run last; nil: none
	Now           time.Time
}

// DroppedBranch is a branch abandon deletes, with the tip the record keeps.
type DroppedBranch struct {
	Name    string // as the user knows it: "kickoff-240510-dash", "origin/feature/PROJ-1"
	Branch  string // the branch name
	Tip     plumbing.Hash
	Remote  bool // the remote's copy (deleted there)
	NotMain int  // commits not in main
}

// AbandonPlan is what `kickoff abandon` will do.
type AbandonPlan struct {
	Kickoff    Kickoff
	MainCommit plumbing.Hash
	Features   []string
	Branches   []DroppedBranch
	Dropped    []gitrepo.LogEntry // commits not in main, each once: the kickoff tip's first, newest first
	Record     plumbing.ReferenceName
	Pushes     bool
	Plan       Plan
}

// AbandonRecord is what an abandoned kickoff's record holds.
type AbandonRecord struct {
	Kickoff Name
	By      string
	Main    plumbing.Hash
	Version string
	Tips    []DroppedBranch
	Dropped []gitrepo.LogEntry
	When    time.Time
}

func (r AbandonRecord) message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kickoff %s abandoned\n\nby: %s\nmain: %s\n", r.Kickoff, r.By, r.Main)
	for _, t := range r.Tips {
		fmt.Fprintf(&b, "branch %s: %s (%d commit%s not in main)\n", t.Name, t.Tip, t.NotMain, plural(t.NotMain))
	}
	if r.Version != "" {
		fmt.Fprintf(&b, "version: %s (reservation freed)\n", r.Version)
	}
	for i, c := range r.Dropped {
		if i == maxDroppedListed {
			fmt.Fprintf(&b, "dropped: ... and %d more, all reachable from the tips above\n", len(r.Dropped)-i)
			break
		}
		fmt.Fprintf(&b, "dropped: %s %s\n", c.Hash, c.Subject)
	}
	return b.String()
}

// PlanAbandon plans dropping a live kickoff that will not ship: keep a record of every
// branch tip and commit not in main, push it, delete the kickoff's and all its feature
// branches (merged or not) and membership refs on the remote and here, then free its
// version. Unlike finish it deletes commits main lacks: that is its point, so the record
// keeps them.
func (e *Env) PlanAbandon(ctx context.Context, name string, o AbandonOptions) (*AbandonPlan, error) {
	hasRemote := e.Repo.HasRemote(e.Remote)
	if hasRemote && !e.online {
		return nil, fmt.Errorf("abandon deletes branches on %s, which cannot be reached now (%s); try again when it can", e.Remote, e.offline)
	}
	k, err := e.FindKickoff(name)
	if err != nil {
		if errors.Is(err, ErrUnknown) && !e.refHash(abandonedRef(name)).IsZero() {
			return nil, fmt.Errorf("%s is already abandoned (its record: %s)", name, abandonedRef(name))
		}
		if errors.Is(err, ErrUnknown) && !e.refHash(plumbing.ReferenceName(FinishedRefPrefix+name)).IsZero() {
			return nil, fmt.Errorf("%s is finished, not live: nothing to abandon (see `kickoff list --all`)", name)
		}
		return nil, err
	}
	_, mainHash, err := e.MainHead()
	if err != nil {
		return nil, err
	}
	ap := &AbandonPlan{Kickoff: k, MainCommit: mainHash, Record: abandonedRef(name), Pushes: hasRemote}
	ds, err := e.Describe([]Kickoff{k}, o.FeaturePrefix)
	if err != nil {
		return nil, err
	}
	for _, f := range ds[0].Features {
		ap.Features = append(ap.Features, f.Branch)
	}
	del := e.branchesToDelete(k.Name, ap.Features)
	var tips []string
	for _, b := range del.branches {
		for _, side := range []struct {
			h      plumbing.Hash
			remote bool
		}{{b.local, false}, {b.remote, true}} {
			if side.h.IsZero() || (side.remote && side.h == b.local) {
				continue
			}
			n, _, err := e.Repo.AheadBehind(side.h, mainHash)
			if err != nil {
				return nil, err
			}
			label := b.name
			if side.remote && !b.local.IsZero() {
				label = e.Remote + "/" + b.name
			}
			ap.Branches = append(ap.Branches, DroppedBranch{Name: label, Branch: b.name, Tip: side.h, Remote: side.remote, NotMain: n})
			tips = append(tips, side.h.String())
		}
	}
	if ap.Dropped, err = e.Repo.Log(ctx, tips[0], []string{mainHash.String()}); err != nil {
		return nil, err
	}
	if len(tips) > 1 { // every tip's commits, once each
		seen := map[plumbing.Hash]bool{}
		ap.Dropped = ap.Dropped[:0]
		for _, t := range tips {
			log, err := e.Repo.Log(ctx, t, []string{mainHash.String()})
			if err != nil {
				return nil, err
			}
			for _, c := range log {
				if !seen[c.Hash] {
					seen[c.Hash] = true
					ap.Dropped = append(ap.Dropped, c)
				}
			}
		}
	}
	current := e.Repo.CurrentBranch()
	if current == k.Name.String() || slices.Contains(ap.Features, current) {
		clean, dirty, err := e.clean(ctx)
		if err != nil {
			return nil, err
		}
		if !clean {
			return nil, fmt.Errorf("%w (%s): abandon must switch off %s to delete it; commit or stash them first; nothing was deleted", ErrDirty, strings.Join(firstN(dirty, 3), ", "), current)
		}
		e.stepSwitch(&ap.Plan, e.Main)
	}
	rec := AbandonRecord{Kickoff: k.Name, Main: mainHash, Version: o.Version, Tips: ap.Branches, Dropped: ap.Dropped, When: o.Now}
	ap.Plan.AddStep(Step{
		Desc: fmt.Sprintf("record %s as abandoned, keeping %d branch tip%s and %d commit%s not in main (%s)", k.Name, len(tips), plural(len(tips)), len(ap.Dropped), plural(len(ap.Dropped)), ap.Record),
		Kind: StepRecord, Refs: []string{string(ap.Record)},
		Do:   func(ctx context.Context) error { return e.writeAbandonRecord(ctx, rec, tips) },
		Undo: func(ctx context.Context) error { return e.Repo.DeleteRef(ap.Record) }})
	if hasRemote {
		ap.Plan.AddStep(Step{
			Desc: fmt.Sprintf("push the record to %s", e.Remote), Kind: StepPush, Refs: []string{string(ap.Record)}, Remote: e.Remote,
			Do: func(ctx context.Context) error {
				return e.Repo.PushAtomic(ctx, e.Remote, e.getenv, []gitrepo.RefUpdate{{Name: ap.Record, New: e.refHash(ap.Record)}})
			},
			Undo: func(ctx context.Context) error {
				return e.Repo.PushAtomic(ctx, e.Remote, e.getenv, []gitrepo.RefUpdate{{Name: ap.Record, Old: e.refHash(ap.Record)}})
			}})
		onRemote, err := e.Repo.RemoteRefs(ctx, e.Remote, e.getenv)
		if err != nil {
			return nil, err
		}
		e.planDeleteRemoteMembers(&ap.Plan, del, onRemote)
		e.planDeleteRemoteBranches(&ap.Plan, del)
	}
	e.planDeleteLocal(&ap.Plan, del)
	if o.FreeVersion != nil && o.Version != "" {
		ap.Plan.AddStep(Step{Desc: "free its version " + o.Version, Kind: StepDelete, Do: o.FreeVersion})
	}
	return ap, nil
}

func abandonedRef(name string) plumbing.ReferenceName {
	return plumbing.ReferenceName(AbandonedRefPrefix + name)
}

// writeAbandonRecord stores the record's tag object, tagged by the user, on the kickoff's
// tip, or, with more than one tip, on a keeper commit whose parents are all the tips (so
// every one stays reachable), and points refs/kickoff/abandoned/<name> at it.
func (e *Env) writeAbandonRecord(ctx context.Context, r AbandonRecord, tips []string) error {
	tagger, err := e.Repo.Identity(ctx)
	if err != nil {
		tagger.Name, _ = os.Hostname()
	}
	r.By = tagger.Name
	if tagger.Email != "" {
		r.By += " <" + tagger.Email + ">"
	}
	if r.When.IsZero() {
		r.When = time.Now()
	}
	tagger.When = r.When
	target := plumbing.NewHash(tips[0])
	if len(tips) > 1 {
		keeper, err := e.Repo.CommitTree(ctx, tips[0]+"^{tree}", fmt.Sprintf("kickoff %s abandoned: keeps its branch tips", r.Kickoff), tips...)
		if err != nil {
			return err
		}
		target = plumbing.NewHash(keeper)
	}
	h, err := e.Repo.WriteTag(ctx, gitrepo.Tag{Name: r.Kickoff.String(), Target: target, Message: r.message(), Tagger: tagger})
	if err != nil {
		return err
	}
	return e.Repo.SetRef(abandonedRef(r.Kickoff.String()), h)
}
