package kickoff

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// Status is where the current branch stands.
type Status struct {
	Branch        string
	Kickoff       string // "" when the branch belongs to no kickoff
	IsKickoff     bool   // the branch is the kickoff itself
	Main          string // the main ref compared with (origin/main or main)
	AheadMain     int
	BehindMain    int
	AheadKickoff  int // feature branches: commits not in the kickoff
	BehindKickoff int // feature branches: kickoff commits it lacks
	Upstream      string
	Unpushed      int // commits not on the upstream (all of its own commits when there is none)
	Unpulled      int // upstream commits not here
	Dirty         []string
	Merging       bool     // a merge is in progress in the work tree (git's MERGE_HEAD)
	Conflicts     []string // paths still in conflict
	InProgress    *Journal // a kickoff command under way (stopped or interrupted), else nil
}

// Status describes the checked-out branch.
func (e *Env) Status(ctx context.Context) (*Status, error) {
	branch := e.Repo.CurrentBranch()
	if branch == "" {
		return nil, fmt.Errorf("HEAD is detached: switch to a branch (git switch NAME) to see its status")
	}
	head := e.refHash(plumbing.NewBranchReferenceName(branch))
	if head.IsZero() {
		return nil, fmt.Errorf("branch %s has no commits yet", branch)
	}
	mainRef, mainHash, err := e.MainHead()
	if err != nil {
		return nil, err
	}
	s := &Status{Branch: branch, Main: mainRef}
	if s.AheadMain, s.BehindMain, err = e.Repo.AheadBehind(head, mainHash); err != nil {
		return nil, err
	}
	if n, ok := e.KickoffOf(branch); ok {
		s.Kickoff = n.String()
		s.IsKickoff = n.String() == branch
		if !s.IsKickoff {
			kl, kr := e.BranchHeads(s.Kickoff)
			kh, err := e.newest(kl, kr)
			if err != nil {
				return nil, err
			}
			if !kh.IsZero() {
				if s.AheadKickoff, s.BehindKickoff, err = e.Repo.AheadBehind(head, kh); err != nil {
					return nil, err
				}
			}
		}
	}
	up := e.refHash(e.remoteRef(branch))
	if up.IsZero() {
		s.Unpushed = s.AheadMain
	} else {
		s.Upstream = e.Remote + "/" + branch
		if s.Unpushed, s.Unpulled, err = e.Repo.AheadBehind(head, up); err != nil {
			return nil, err
		}
	}
	if s.Dirty, err = e.Repo.Dirty(ctx); err != nil {
		return nil, err
	}
	if s.Merging = e.Repo.MergeInProgress(); s.Merging {
		if s.Conflicts, err = e.Repo.Unmerged(ctx); err != nil {
			return nil, err
		}
	}
	if j, err := e.Journal(); err != nil {
		return nil, err
	} else if j != nil && j.Pending() {
		s.InProgress = j
	}
	return s, nil
}
