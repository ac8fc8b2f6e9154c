package kickoff

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Resuming `kickoff finish`. Finish keeps no journal: each run reads what the refs say was
// done and plans the rest, so a run killed between any two steps is finished by running it
// again. What an interrupted run can leave, and how the next run takes it:
//
//   - local main merged but not pushed (--merge): push that merge (resumeMergedMain);
//   - main pushed, the final tag pushed: the kickoff is in main, the tag is kept as is
//     (version.Store.TagShipped);
//   - the record written, or pushed: kept, not written again (planHooksAndRecord,
//     planPushRecord);
//   - the remote branches deleted, local ones left: the kickoff is still found by its local
//     branch (deleted last);
//   - the kickoff's branches gone, feature branches left: planFinishLeftovers deletes the
//     features the record lists.

// resumeMergedMain plans pushing the local main when it is exactly the merge an interrupted
// `finish --merge` made (the one commit on it that neither the remote's main nor the kickoff
// has, with both of them as its history); it reports whether it did.
func (e *Env) resumeMergedMain(ctx context.Context, fp *FinishPlan) (bool, error) {
	mainBranch := plumbing.NewBranchReferenceName(e.Main)
	local := e.refHash(mainBranch)
	if !e.Repo.HasRemote(e.Remote) || local.IsZero() || local == fp.MainCommit {
		return false, nil
	}
	for _, h := range []plumbing.Hash{fp.MainCommit, fp.Head} {
		if in, err := e.Repo.IsAncestor(h, local); err != nil || !in {
			return false, err
		}
	}
	extra, err := e.Repo.RevList(ctx, local.String(), fp.MainCommit.String(), fp.Head.String())
	if err != nil || len(extra) != 1 || extra[0] != local {
		return false, err
	}
	fp.Merges, fp.Resumed, fp.MainCommit = true, true, local
	fp.Notes = append(fp.Notes, fmt.Sprintf("resuming an interrupted finish: local %s already merges %s (%s) and is pushed now", e.Main, fp.Kickoff.Name, Short(local)))
	fp.Plan.AddStep(Step{
		Desc: fmt.Sprintf("push %s (%s, which merges %s) to %s", e.Main, Short(local), fp.Kickoff.Name, e.Remote),
		Kind: StepPush, Refs: []string{string(mainBranch)}, Remote: e.Remote,
		Do: func(ctx context.Context) error {
			return e.Repo.Push(ctx, e.Remote, e.getenv, string(mainBranch)+":"+string(mainBranch))
		}})
	return true, nil
}

// planFinishLeftovers plans the rest of a finish that was interrupted after the kickoff's
// own branches were deleted: the feature branches its record lists that still exist. With
// none left, the kickoff is simply finished (finished is that error).
func (e *Env) planFinishLeftovers(ctx context.Context, name string, finished error) (*FinishPlan, error) {
	n, err := ParseName(name)
	if err != nil {
		return nil, err
	}
	var left []string
	for _, f := range e.recordedFeatures(n) {
		if _, ok := e.exists(f); ok {
			left = append(left, f)
		}
	}
	if len(left) == 0 {
		return nil, finished
	}
	_, mainHash, err := e.MainHead()
	if err != nil {
		return nil, err
	}
	unmerged := &UnmergedError{Kickoff: n, Branches: map[string]int{}}
	for _, f := range left {
		l, r := e.BranchHeads(f)
		if err := e.addUnmerged(unmerged, f, l, r, mainHash); err != nil {
			return nil, err
		}
	}
	if len(unmerged.Order) > 0 {
		unmerged.Hint = fmt.Sprintf("%s is finished; these feature branches it listed got new commits since: merge or delete them by hand.", n)
		return nil, unmerged
	}
	recRef := finishedRef(n)
	fp := &FinishPlan{
		Kickoff: Kickoff{Name: n, Finished: true}, Head: e.Repo.PeelCommit(e.refHash(recRef)), MainCommit: mainHash,
		Pushes: e.Repo.HasRemote(e.Remote), Resumed: true,
	}
	for _, f := range left {
		l, r := e.BranchHeads(f)
		fp.Features = append(fp.Features, Feature{Branch: f, Local: !l.IsZero(), Remote: !r.IsZero()})
	}
	fp.Notes = append(fp.Notes, fmt.Sprintf("resuming an interrupted finish: %s is finished (%s); deleting the feature branches it left: %s", n, recRef, strings.Join(left, ", ")))
	if err := e.planStepOff(ctx, fp, e.Repo.CurrentBranch(), left); err != nil {
		return nil, err
	}
	del := e.branchesToDelete(n, left)
	if fp.Pushes {
		onRemote, err := e.Repo.RemoteRefs(ctx, e.Remote, e.getenv)
		if err != nil {
			return nil, err
		}
		e.planDeleteRemoteMembers(&fp.Plan, del, onRemote)
		e.planDeleteRemoteBranches(&fp.Plan, del)
	}
	e.planDeleteLocal(&fp.Plan, del)
	return fp, nil
}
