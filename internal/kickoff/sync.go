package kickoff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Sync outcomes.
const (
	SyncUpToDate  = "up-to-date" // main has nothing the kickoff lacks
	SyncMerged    = "merged"     // a merge commit was made
	SyncClean     = "clean"      // --check: main would merge without conflicts
	SyncConflicts = "conflicts"  // the merge conflicts (--check, or left for the user)
)

// SyncResult is the outcome of `kickoff sync`.
type SyncResult struct {
	Kickoff    Name
	Main       string // the main ref merged
	Behind     int    // main commits the kickoff lacked
	Outcome    string
	Conflicts  []string
	Commit     plumbing.Hash // the merge commit
	Pushed     bool
	InWorkTree bool // the merge ran (or stopped) in the work tree
	// When the merge stopped in the work tree after sync switched to the kickoff: the branch
	// the work tree was on ("" when sync did not switch, or HEAD was detached), and whether
	// its uncommitted changes were stashed first. `kickoff continue` and `kickoff abort`
	// bring both back.
	SwitchedFrom string
	Switched     bool
	Stashed      bool
}

// SyncOptions are the inputs of `kickoff sync`.
type SyncOptions struct {
	Check bool // only report
	Push  bool
	Done  func(desc string) // reports each step done (may be nil)
}

// Sync merges the latest main into a kickoff with a merge commit; it never rewrites the
// kickoff. Checked out, git merges in the work tree and, on conflicts, stops there for the
// user. Not checked out, the merge is made without touching the work tree; on conflicts
// kickoff stashes any uncommitted changes, switches to the kickoff and lets git stop there.
// The plan is journaled: a stop is finished by Continue (commit, push, switch back, restore
// the stash) or taken back by Abort; a finished sync is taken back by Undo.
func (e *Env) Sync(ctx context.Context, k Kickoff, o SyncOptions) (*SyncResult, error) {
	res, p, err := e.planSync(ctx, k, o)
	if err != nil || p == nil {
		return res, err
	}
	j, err := e.Start(ctx, CmdSync, k.Name.String(), p, o.Done)
	var stopped *StoppedError
	if errors.As(err, &stopped) {
		res.Outcome, res.Conflicts = SyncConflicts, stopped.Conflicts
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	res.Outcome = SyncMerged
	res.Commit, res.Pushed = SyncedCommit(j)
	return res, nil
}

// SyncedCommit is the merge commit a journaled sync made, and whether it pushed it.
func SyncedCommit(j *Journal) (commit plumbing.Hash, pushed bool) {
	for _, op := range j.Steps[:j.Done] {
		switch {
		case op.Kind == OpMerge:
			commit = hash(op.Result)
		case op.Kind == OpSetRef && op.Branch == j.Subject: // a merge step after it wins
			commit = hash(op.At)
		case op.Kind == OpPush:
			pushed = true
		}
	}
	return commit, pushed
}

// planSync checks the kickoff and plans the merge; no plan when there is nothing to do or
// o.Check only reports.
func (e *Env) planSync(ctx context.Context, k Kickoff, o SyncOptions) (*SyncResult, *Plan, error) {
	if !o.Check {
		if j, err := e.Journal(); err != nil {
			return nil, nil, err
		} else if j != nil && j.Pending() {
			return nil, nil, &PendingError{Journal: j}
		}
	}
	mainRef, mainHash, err := e.MainHead()
	if err != nil {
		return nil, nil, err
	}
	name := k.Name.String()
	res := &SyncResult{Kickoff: k.Name, Main: mainRef}
	kl, kr := e.BranchHeads(name)
	if !kl.IsZero() && !kr.IsZero() && kl != kr {
		behindRemote, _, err := e.Repo.AheadBehind(kr, kl)
		if err != nil {
			return nil, nil, err
		}
		if behindRemote > 0 {
			return nil, nil, fmt.Errorf("%s is behind %s/%s by %d commit%s: pull first (git switch %s && git pull), so sync never rewrites the pushed branch",
				name, e.Remote, name, behindRemote, plural(behindRemote), name)
		}
	}
	head, err := e.newest(kl, kr)
	if err != nil {
		return nil, nil, err
	}
	if _, res.Behind, err = e.Repo.AheadBehind(head, mainHash); err != nil {
		return nil, nil, err
	}
	if res.Behind == 0 {
		res.Outcome = SyncUpToDate
		return res, nil, nil
	}
	mt, err := e.Repo.MergeTree(ctx, head.String(), mainHash.String())
	if err != nil {
		return nil, nil, err
	}
	if o.Check {
		res.Outcome, res.Conflicts = SyncClean, mt.Conflicts
		if len(mt.Conflicts) > 0 {
			res.Outcome = SyncConflicts
		}
		return res, nil, nil
	}
	if e.Repo.MergeInProgress() {
		return nil, nil, fmt.Errorf("a merge is in progress in the work tree: finish it (resolve, `git add`, `git commit`) or abandon it (`git merge --abort`), then sync again; nothing was changed")
	}
	msg := fmt.Sprintf("Merge %s into %s", mainRef, name)
	branchRef := string(plumbing.NewBranchReferenceName(name))
	p := &Plan{}
	merge := &Op{Kind: OpMerge, Desc: fmt.Sprintf("merge %s into %s in the work tree", mainRef, name),
		Branch: name, Main: mainRef, At: mainHash.String(), Old: head.String(), Message: msg}
	push := o.Push && e.online
	pushOp := &Op{Kind: OpPush, Desc: fmt.Sprintf("push %s to %s", name, e.Remote), Ref: branchRef, Branch: name, Old: hashString(kr)}
	current := e.Repo.CurrentBranch()
	switch {
	case current == name:
		// The merge happens in the work tree: git does it, and stops on conflicts as usual.
		if clean, dirty, err := e.clean(ctx); err != nil {
			return nil, nil, err
		} else if !clean {
			return nil, nil, fmt.Errorf("%w (%s): commit or stash them before merging %s into %s; nothing was changed", ErrDirty, strings.Join(firstN(dirty, 3), ", "), mainRef, name)
		}
		res.InWorkTree = true
		p.addOp(e, merge)
		if push {
			p.addOp(e, pushOp)
		}
	case len(mt.Conflicts) == 0:
		// Made without the work tree: the merge commit now, the branch moved to it by a step.
		c, err := e.Repo.CommitTree(ctx, mt.Tree, msg, head.String(), mainHash.String())
		if err != nil {
			return nil, nil, err
		}
		p.addOp(e, &Op{Kind: OpSetRef, Desc: fmt.Sprintf("move %s to the merge of %s (%s)", name, mainRef, Short(plumbing.NewHash(c))),
			Ref: branchRef, Branch: name, Old: hashString(kl), At: c})
		if push {
			pushOp.At = c
			p.addOp(e, pushOp)
		}
	default:
		// Conflicts to resolve: in the work tree, on the kickoff; the user's changes are
		// stashed on the way and everything is brought back at the end.
		res.InWorkTree, res.Switched, res.SwitchedFrom = true, true, current
		clean, _, err := e.clean(ctx)
		if err != nil {
			return nil, nil, err
		}
		stash := fmt.Sprintf("kickoff sync %s: changes on %s", name, current)
		if current == "" {
			stash = fmt.Sprintf("kickoff sync %s: changes on a detached HEAD", name)
		}
		if !clean {
			res.Stashed = true
			p.addOp(e, &Op{Kind: OpStash, Desc: "stash your uncommitted changes", Message: stash, Transient: true})
		}
		if kl.IsZero() {
			p.addOp(e, &Op{Kind: OpSetRef, Desc: fmt.Sprintf("create branch %s at %s/%s (%s)", name, e.Remote, name, Short(head)),
				Ref: branchRef, Branch: name, At: head.String()})
		}
		p.addOp(e, &Op{Kind: OpSwitch, Desc: "switch to " + name, Branch: name, From: current, Transient: true})
		p.addOp(e, merge)
		if push {
			p.addOp(e, pushOp)
		}
		if current != "" {
			p.addOp(e, &Op{Kind: OpSwitch, Desc: "switch back to " + current, Branch: current, From: name, Transient: true})
		}
		if !clean {
			p.addOp(e, &Op{Kind: OpUnstash, Desc: "restore your stashed changes", Message: stash, Transient: true})
		}
	}
	return res, p, nil
}

func hashString(h plumbing.Hash) string {
	if h.IsZero() {
		return ""
	}
	return h.String()
}
