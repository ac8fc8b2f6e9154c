package kickoff

import (
	"context"
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
}

// SyncOptions are the inputs of `kickoff sync`.
type SyncOptions struct {
	Check bool // only report
	Push  bool
}

// Sync merges the latest main into a kickoff with a merge commit; it never rewrites the
// kickoff. Checked out, git merges in the work tree and, on conflicts, leaves it for the
// user to resolve. Not checked out, the merge is made without touching the work tree; on
// conflicts kickoff switches to it (when the work tree is clean) and lets git stop there.
func (e *Env) Sync(ctx context.Context, k Kickoff, o SyncOptions) (*SyncResult, error) {
	mainRef, mainHash, err := e.MainHead()
	if err != nil {
		return nil, err
	}
	name := k.Name.String()
	res := &SyncResult{Kickoff: k.Name, Main: mainRef}
	kl, kr := e.BranchHeads(name)
	if !kl.IsZero() && !kr.IsZero() && kl != kr {
		behindRemote, _, err := e.Repo.AheadBehind(kr, kl)
		if err != nil {
			return nil, err
		}
		if behindRemote > 0 {
			return nil, fmt.Errorf("%s is behind %s/%s by %d commit%s: pull first (git switch %s && git pull), so sync never rewrites the pushed branch",
				name, e.Remote, name, behindRemote, plural(behindRemote), name)
		}
	}
	head, err := e.newest(kl, kr)
	if err != nil {
		return nil, err
	}
	if _, res.Behind, err = e.Repo.AheadBehind(head, mainHash); err != nil {
		return nil, err
	}
	if res.Behind == 0 {
		res.Outcome = SyncUpToDate
		return res, nil
	}
	mt, err := e.Repo.MergeTree(ctx, head.String(), mainHash.String())
	if err != nil {
		return nil, err
	}
	if o.Check {
		res.Outcome, res.Conflicts = SyncClean, mt.Conflicts
		if len(mt.Conflicts) > 0 {
			res.Outcome = SyncConflicts
		}
		return res, nil
	}
	msg := fmt.Sprintf("Merge %s into %s", mainRef, name)
	branchRef := plumbing.NewBranchReferenceName(name)
	checkedOut := e.Repo.CurrentBranch() == name
	if checkedOut || len(mt.Conflicts) > 0 {
		// The merge happens in the work tree: git does it, and stops on conflicts as usual.
		if !checkedOut {
			clean, dirty, err := e.clean(ctx)
			if err != nil {
				return nil, err
			}
			if !clean {
				return nil, fmt.Errorf("%s into %s has %v in %s, to be resolved in the work tree, which has uncommitted changes (%s): commit or stash them and run sync again; nothing was changed",
					mainRef, name, ErrConflicts, strings.Join(mt.Conflicts, ", "), strings.Join(firstN(dirty, 3), ", "))
			}
			if kl.IsZero() {
				if err := e.Repo.SetRef(branchRef, head); err != nil {
					return nil, err
				}
				_ = e.Repo.SetUpstream(name, e.Remote)
			}
			if err := e.Repo.Switch(ctx, name); err != nil {
				return nil, err
			}
		} else if clean, dirty, err := e.clean(ctx); err != nil {
			return nil, err
		} else if !clean {
			return nil, fmt.Errorf("%w (%s): commit or stash them before merging %s into %s; nothing was changed", ErrDirty, strings.Join(firstN(dirty, 3), ", "), mainRef, name)
		}
		res.InWorkTree = true
		conflicts, err := e.Repo.Merge(ctx, mainHash.String(), msg)
		if err != nil {
			return nil, err
		}
		if len(conflicts) > 0 {
			res.Outcome, res.Conflicts = SyncConflicts, conflicts
			return res, nil
		}
		res.Commit = e.refHash(branchRef)
	} else {
		c, err := e.Repo.CommitTree(ctx, mt.Tree, msg, head.String(), mainHash.String())
		if err != nil {
			return nil, err
		}
		res.Commit = plumbing.NewHash(c)
		old := kl
		if err := e.Repo.SwapRef(branchRef, res.Commit, old); err != nil {
			return nil, fmt.Errorf("update %s: %w", name, err)
		}
	}
	res.Outcome = SyncMerged
	if o.Push && e.online {
		spec := string(branchRef) + ":" + string(branchRef)
		if err := e.Repo.Push(ctx, e.Remote, e.getenv, spec); err != nil {
			return res, fmt.Errorf("%s was merged locally but not pushed: %w (push it with `git push %s %s`)", name, err, e.Remote, name)
		}
		if kr.IsZero() || kl.IsZero() {
			_ = e.Repo.SetUpstream(name, e.Remote)
		}
		res.Pushed = true
	}
	return res, nil
}
