package kickoff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// OpKind names what an Op does.
type OpKind string

// The steps new, feature and sync are made of. Each Do is safe to run again after it was
// interrupted (it finds its own work done and stops there), and each undo first checks that
// nothing was built on what it takes back.
const (
	OpSetRef  OpKind = "set-ref" // point Ref (a branch: Branch) at At, where it was at Old (zero: absent)
	OpPush    OpKind = "push"    // push At to Ref on the remote, where it was at Old; Branch: set its upstream
	OpMember  OpKind = "member"  // record that Branch belongs to Kickoff (git config and Ref at At)
	OpSwitch  OpKind = "switch"  // check Branch out, coming from From ("": HEAD was detached)
	OpMerge   OpKind = "merge"   // git merge At (Main) into the checked-out Branch, at Old before; Result
	OpStash   OpKind = "stash"   // stash the work tree's changes as Message
	OpUnstash OpKind = "unstash" // put the stash Message back
)

// maxOpLines is how many paths a message names.
const maxOpLines = 3

// Op is one step as data: recorded in the journal before it runs, so a killed run resumes
// at it and `kickoff undo` takes it back with what it recorded (hashes, not refs that may
// have moved since).
type Op struct {
	Kind    OpKind `json:"kind"`
	Desc    string `json:"desc"`
	Ref     string `json:"ref,omitempty"`
	Branch  string `json:"branch,omitempty"`
	Kickoff string `json:"kickoff,omitempty"`
	Main    string `json:"main,omitempty"`
	From    string `json:"from,omitempty"`
	At      string `json:"at,omitempty"`
	Old     string `json:"old,omitempty"`
	Message string `json:"message,omitempty"`
	// Transient: a later step of the same plan takes it back (switching back, restoring the
	// stash), so undoing the whole finished plan skips it; aborting a stopped one does not.
	Transient bool `json:"transient,omitempty"`
	// What the step found or made: the merge commit, the files in conflict.
	Result    string   `json:"result,omitempty"`
	Conflicts []string `json:"conflicts,omitempty"`
}

func hash(s string) plumbing.Hash { return plumbing.NewHash(s) }

// stepData is what an op changes, as a plan step says it (--dry-run --json): its kind, the
// refs it writes and the remote it changes.
func (e *Env) stepData(op *Op) (StepKind, []string, string) {
	branch := func() []string {
		if op.Branch == "" {
			return nil
		}
		return []string{string(plumbing.NewBranchReferenceName(op.Branch))}
	}
	switch op.Kind {
	case OpSetRef:
		if op.Old == "" {
			return StepCreateBranch, []string{op.Ref}, ""
		}
		return StepMerge, []string{op.Ref}, "" // a branch moved to the merge made for it
	case OpPush:
		return StepPush, []string{op.Ref}, e.Remote
	case OpMember:
		return StepRecord, []string{op.Ref}, ""
	case OpSwitch:
		return StepSwitch, branch(), ""
	case OpMerge:
		return StepMerge, branch(), ""
	default: // OpStash, OpUnstash
		return StepStash, nil, ""
	}
}

// addOp appends op as a step whose Do and Undo are e's.
func (p *Plan) addOp(e *Env, op *Op) {
	kind, refs, remote := e.stepData(op)
	p.Steps = append(p.Steps, Step{
		Desc: op.Desc, Kind: kind, Refs: refs, Remote: remote,
		Do: func(ctx context.Context) error { return e.doOp(ctx, op) },
		Undo: func(ctx context.Context) error {
			if err := e.undoCheck(ctx, op); err != nil {
				return err
			}
			return e.undoOp(ctx, op)
		},
		Op: op,
	})
}

// StoppedError is a step that stopped for the user: a merge with conflicts to resolve. The
// plan is neither done nor undone; `kickoff continue` or `kickoff abort` takes it from there.
type StoppedError struct {
	Branch    string
	Main      string
	Conflicts []string // still unmerged
	Markers   []string // marked resolved but still holding conflict markers
}

func (e *StoppedError) Error() string {
	if len(e.Conflicts) == 0 && len(e.Markers) > 0 {
		return fmt.Sprintf("merging %s into %s: %s still hold%s conflict markers (<<<<<<< or >>>>>>>): edit them",
			e.Main, e.Branch, strings.Join(firstN(e.Markers, maxOpLines), ", "), pluralVerb(len(e.Markers)))
	}
	return fmt.Sprintf("merging %s into %s stopped on %v in %s", e.Main, e.Branch, ErrConflicts, strings.Join(firstN(e.Conflicts, maxOpLines), ", "))
}

func (e *StoppedError) Unwrap() error { return ErrConflicts }

func pluralVerb(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func (e *Env) doOp(ctx context.Context, op *Op) error {
	switch op.Kind {
	case OpSetRef:
		name := plumbing.ReferenceName(op.Ref)
		cur := e.refHash(name)
		if cur != hash(op.At) {
			if cur != hash(op.Old) {
				if op.Old == "" {
					return fmt.Errorf("%w: %s", ErrExists, name.Short())
				}
				return fmt.Errorf("%s moved meanwhile (now %s, expected %s)", name.Short(), Short(cur), Short(hash(op.Old)))
			}
			if err := e.Repo.SetRef(name, hash(op.At)); err != nil {
				return err
			}
		}
		if op.Branch != "" && op.Old == "" && e.Repo.HasRemote(e.Remote) && !e.refHash(e.remoteRef(op.Branch)).IsZero() {
			return e.Repo.SetUpstream(op.Branch, e.Remote)
		}
		return nil
	case OpPush:
		up := gitrepo.RefUpdate{Name: plumbing.ReferenceName(op.Ref), New: hash(op.At), Old: hash(op.Old)}
		if err := e.Repo.PushAtomic(ctx, e.Remote, e.getenv, []gitrepo.RefUpdate{up}); err != nil {
			if errors.Is(err, gitrepo.ErrRefChanged) {
				return fmt.Errorf("%s changed on %s meanwhile (someone pushed): %w", up.Name.Short(), e.Remote, err)
			}
			return err
		}
		if op.Branch != "" {
			return e.Repo.SetUpstream(op.Branch, e.Remote)
		}
		return nil
	case OpMember:
		if err := e.Repo.SetBranchOption(op.Branch, ConfigKickoffKey, op.Kickoff); err != nil {
			return err
		}
		return e.Repo.SetRef(plumbing.ReferenceName(op.Ref), hash(op.At))
	case OpSwitch:
		if e.Repo.CurrentBranch() == op.Branch {
			return nil
		}
		return e.Repo.Switch(ctx, op.Branch)
	case OpMerge:
		return e.doMerge(ctx, op)
	case OpStash:
		if has, err := e.Repo.HasStash(ctx, op.Message); err != nil || has {
			return err
		}
		if clean, _, err := e.clean(ctx); err != nil || clean {
			return err
		}
		return e.Repo.Stash(ctx, op.Message)
	case OpUnstash:
		return e.popStash(ctx, op.Message)
	}
	return fmt.Errorf("unknown step %q in the journal (written by another version of kickoff?)", op.Kind)
}

// doMerge merges main into the checked-out kickoff, or finishes a merge that stopped: with
// the conflicts resolved it commits the merge; when the kickoff already holds main (a run
// killed after the merge, or the user committed it) there is nothing left to do.
func (e *Env) doMerge(ctx context.Context, op *Op) error {
	if cur := e.Repo.CurrentBranch(); cur != op.Branch {
		return fmt.Errorf("the merge is made on %s, but the work tree is on %q: switch back to it (git switch %s) and run `kickoff continue`, or run `kickoff abort`", op.Branch, cur, op.Branch)
	}
	branch := plumbing.NewBranchReferenceName(op.Branch)
	tip := e.refHash(branch)
	if tip != hash(op.Old) {
		if in, err := e.Repo.IsAncestor(hash(op.At), tip); err != nil {
			return err
		} else if in {
			op.Result = tip.String()
			return nil
		}
	}
	stopped := &StoppedError{Branch: op.Branch, Main: op.Main}
	if e.Repo.MergeInProgress() {
		conflicts, err := e.Repo.Unmerged(ctx)
		if err != nil {
			return err
		}
		if len(conflicts) > 0 {
			stopped.Conflicts = conflicts
			return stopped
		}
		if stopped.Markers = e.Repo.ConflictMarkers(op.Conflicts); len(stopped.Markers) > 0 {
			return stopped
		}
		if err := e.Repo.CommitMerge(ctx); err != nil {
			return err
		}
		op.Result = e.refHash(branch).String()
		return nil
	}
	conflicts, err := e.Repo.Merge(ctx, op.At, op.Message)
	if err != nil {
		return err
	}
	if len(conflicts) > 0 {
		op.Conflicts, stopped.Conflicts = conflicts, conflicts
		return stopped
	}
	op.Result = e.refHash(branch).String()
	return nil
}

func (e *Env) popStash(ctx context.Context, message string) error {
	err := e.Repo.PopStash(ctx, message)
	if errors.Is(err, gitrepo.ErrNoStash) {
		return nil // restored already
	}
	if err != nil {
		return fmt.Errorf("restore your stashed changes (%q, kept in `git stash list`): %w", message, err)
	}
	return nil
}

// abortOp takes back what a step that did not finish may have left: a merge in progress.
func (e *Env) abortOp(ctx context.Context, op *Op) error {
	if op.Kind == OpMerge && e.Repo.CurrentBranch() == op.Branch {
		return e.Repo.AbortMerge(ctx)
	}
	return nil
}

// undoCheck says why undoing op would lose work done after it (nil: it can be undone, or
// there is nothing to undo). It changes nothing.
func (e *Env) undoCheck(ctx context.Context, op *Op) error {
	switch op.Kind {
	case OpSetRef:
		if err := e.keptSince(plumbing.ReferenceName(op.Ref), hash(op.At), hash(op.Old)); err != nil {
			return err
		}
		return e.workTreeKept(ctx, plumbing.ReferenceName(op.Ref), hash(op.Old))
	case OpMerge:
		if e.mergeResult(op) {
			if err := e.keptSince(plumbing.NewBranchReferenceName(op.Branch), hash(op.Result), hash(op.Old)); err != nil {
				return err
			}
			return e.workTreeKept(ctx, plumbing.NewBranchReferenceName(op.Branch), hash(op.Old))
		}
	case OpPush:
		_, err := e.remoteNow(ctx, op)
		return err
	}
	return nil
}

// remoteNow is where op's ref is on the remote now (ls-remote, not the last fetch): an error
// when it is neither where op left it nor where it was before (someone pushed since), or when
// the remote cannot be reached. Zero without a remote.
func (e *Env) remoteNow(ctx context.Context, op *Op) (plumbing.Hash, error) {
	name := plumbing.ReferenceName(op.Ref)
	if !e.Repo.HasRemote(e.Remote) {
		return hash(op.Old), nil
	}
	if !e.online {
		return plumbing.ZeroHash, fmt.Errorf("%s cannot be reached (%s): the push of %s cannot be taken back now", e.Remote, e.offline, name.Short())
	}
	refs, err := e.Repo.RemoteRefs(ctx, e.Remote, e.getenv)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	now := refs[op.Ref].Hash
	if now == hash(op.At) || now == hash(op.Old) {
		return now, nil
	}
	if now.IsZero() {
		return plumbing.ZeroHash, fmt.Errorf("%s was deleted on %s since", name.Short(), e.Remote)
	}
	return plumbing.ZeroHash, fmt.Errorf("%s on %s has moved since (now %s, pushed %s): someone pushed after it; undoing would drop their work", name.Short(), e.Remote, Short(now), Short(hash(op.At)))
}

// mergeResult reports whether the merge op made its commit, filling op.Result when a run
// killed right after `git merge` did not record it: the kickoff's tip is then the merge of
// op.Old and op.At.
func (e *Env) mergeResult(op *Op) bool {
	if op.Result != "" {
		return true
	}
	tip := e.refHash(plumbing.NewBranchReferenceName(op.Branch))
	c, err := e.Repo.Commit(tip)
	if err == nil && len(c.Parents) == 2 && c.Parents[0] == hash(op.Old) && c.Parents[1] == hash(op.At) {
		op.Result = tip.String()
		return true
	}
	return false
}

// workTreeKept: moving ref back to old moves the work tree too when it is checked out;
// refused while the work tree has uncommitted changes to tracked files (they could be lost).
func (e *Env) workTreeKept(ctx context.Context, ref plumbing.ReferenceName, old plumbing.Hash) error {
	if !ref.IsBranch() || e.Repo.CurrentBranch() != ref.Short() || old.IsZero() || e.refHash(ref) == old {
		return nil
	}
	tracked, _, err := e.Repo.Changes(ctx)
	if err != nil || len(tracked) == 0 {
		return err
	}
	return fmt.Errorf("%s is checked out with uncommitted changes (%s): commit or stash them first", ref.Short(), strings.Join(firstN(tracked, maxOpLines), ", "))
}

// keptSince: ref is still at h (or gone, or back at old): else it refuses, counting the
// commits made on it since.
func (e *Env) keptSince(ref plumbing.ReferenceName, h, old plumbing.Hash) error {
	now := e.refHash(ref)
	if now.IsZero() || now == h || now == old {
		return nil
	}
	if in, err := e.Repo.IsAncestor(h, now); err == nil && in {
		n, _, err := e.Repo.AheadBehind(now, h)
		if err != nil {
			return err
		}
		return fmt.Errorf("%s has %d commit%s made after it (git log %s..%s); undoing would lose them", ref.Short(), n, plural(n), Short(h), ref.Short())
	}
	return fmt.Errorf("%s was moved since (now %s, left at %s); undoing would lose that", ref.Short(), Short(now), Short(h))
}

// undoOp takes op back; undoCheck said it may.
func (e *Env) undoOp(ctx context.Context, op *Op) error {
	switch op.Kind {
	case OpSetRef:
		return e.resetRef(ctx, plumbing.ReferenceName(op.Ref), hash(op.At), hash(op.Old), op.Branch)
	case OpMerge:
		if err := e.abortOp(ctx, op); err != nil {
			return err
		}
		if !e.mergeResult(op) {
			return nil
		}
		return e.resetRef(ctx, plumbing.NewBranchReferenceName(op.Branch), hash(op.Result), hash(op.Old), "")
	case OpPush:
		now, err := e.remoteNow(ctx, op)
		if err != nil || now == hash(op.Old) {
			return err // not pushed, or taken back already
		}
		up := gitrepo.RefUpdate{Name: plumbing.ReferenceName(op.Ref), New: hash(op.Old), Old: hash(op.At)}
		err = e.Repo.PushAtomic(ctx, e.Remote, e.getenv, []gitrepo.RefUpdate{up})
		if errors.Is(err, gitrepo.ErrRefChanged) {
			return fmt.Errorf("%s on %s changed meanwhile (someone pushed); it was left as it is: %w", up.Name.Short(), e.Remote, err)
		}
		if err == nil && up.New.IsZero() && up.Name.IsBranch() {
			_ = e.Repo.DeleteRef(e.remoteRef(up.Name.Short()))
		}
		return err
	case OpMember:
		return e.Repo.DeleteRef(plumbing.ReferenceName(op.Ref))
	case OpSwitch:
		if op.From == "" || e.Repo.CurrentBranch() != op.Branch {
			return nil
		}
		return e.Repo.Switch(ctx, op.From)
	case OpStash:
		return e.popStash(ctx, op.Message)
	}
	return nil
}

// resetRef moves ref from at back to old (zero: deletes it, with a branch's git config).
// A checked-out branch moves with its work tree (git reset --keep), and is never deleted.
func (e *Env) resetRef(ctx context.Context, ref plumbing.ReferenceName, at, old plumbing.Hash, branch string) error {
	now := e.refHash(ref)
	if now.IsZero() || now == old {
		return nil
	}
	if ref.IsBranch() && e.Repo.CurrentBranch() == ref.Short() {
		if old.IsZero() {
			return fmt.Errorf("%s is checked out: switch to another branch first (git switch %s)", ref.Short(), e.Main)
		}
		return e.Repo.ResetKeep(ctx, old.String())
	}
	if old.IsZero() {
		if branch != "" {
			_ = e.Repo.DeleteBranchConfig(branch)
		}
		return e.Repo.DeleteRef(ref)
	}
	return e.Repo.SwapRef(ref, old, at)
}
