package kickoff

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Steps shared by the lifecycle plans. Each Do has the Undo that takes it back.

func (e *Env) stepCreateBranch(p *Plan, branch string, at plumbing.Hash, from string) {
	p.addOp(e, &Op{Kind: OpSetRef, Desc: fmt.Sprintf("create branch %s at %s (%s)", branch, from, Short(at)),
		Ref: string(plumbing.NewBranchReferenceName(branch)), Branch: branch, At: at.String()})
}

// stepPushNew pushes a branch the remote does not have yet (refused if someone else made
// it meanwhile) and sets its upstream.
func (e *Env) stepPushNew(p *Plan, branch string, at plumbing.Hash) {
	p.addOp(e, &Op{Kind: OpPush, Desc: fmt.Sprintf("push %s to %s and set its upstream", branch, e.Remote),
		Ref: string(plumbing.NewBranchReferenceName(branch)), Branch: branch, At: at.String()})
}

// stepsPublishAndSwitch plans what follows creating a kickoff or feature branch at at: push
// it and set its upstream (unless push is off or the remote is out of reach: then a note
// says how to push it later), then switch to it unless the work tree has uncommitted changes
// or an untracked file the switch would overwrite (then a note says which and what to do).
// Other untracked files go along, as with `git switch`.
func (e *Env) stepsPublishAndSwitch(ctx context.Context, p *Plan, notes *[]string, branch string, at plumbing.Hash, push bool) (pushed, checkout bool, err error) {
	switch {
	case !push:
		*notes = append(*notes, fmt.Sprintf("not pushed (--no-push): push it with `git push -u %s %s`", e.Remote, branch))
	case !e.online:
		*notes = append(*notes, fmt.Sprintf("not pushed (%s): push it later with `git push -u %s %s`", e.offlineWhy(), e.Remote, branch))
	default:
		e.stepPushNew(p, branch, at)
		pushed = true
	}
	if e.NoSwitch {
		return pushed, false, nil
	}
	why, err := e.switchBlocked(ctx, branch, at)
	if err != nil {
		return false, false, err
	}
	if why == "" {
		e.stepSwitch(p, branch)
		return pushed, true, nil
	}
	*notes = append(*notes, why)
	return pushed, false, nil
}

// switchBlocked says why the work tree should not switch to branch at commit at ("": it can).
func (e *Env) switchBlocked(ctx context.Context, branch string, at plumbing.Hash) (string, error) {
	if clean, _, err := e.clean(ctx); err != nil || clean {
		return "", err
	}
	tracked, untracked, err := e.Repo.Changes(ctx)
	if err != nil {
		return "", fmt.Errorf("read the work tree's status: %w", err)
	}
	if len(tracked) > 0 {
		return fmt.Sprintf("not switched to it: the work tree has uncommitted changes (%s): commit or stash them, then `git switch %s`",
			strings.Join(firstN(tracked, maxOpLines), ", "), branch), nil
	}
	clash, err := e.Repo.InTree(at, untracked)
	if err != nil || len(clash) == 0 {
		return "", err
	}
	files, them := "the untracked file "+clash[0], "it"
	if len(clash) > 1 {
		files, them = "the untracked files "+strings.Join(firstN(clash, maxOpLines), ", "), "them"
	}
	return fmt.Sprintf("not switched to it: %s would be overwritten by %s's copy: move %s away (or delete %s), then `git switch %s`",
		files, branch, them, them, branch), nil
}

func (e *Env) stepSwitch(p *Plan, branch string) {
	p.addOp(e, &Op{Kind: OpSwitch, Desc: "switch to " + branch, Branch: branch, From: e.Repo.CurrentBranch()})
}

// clean reports whether the work tree has no changes (a bare repository counts as clean).
func (e *Env) clean(ctx context.Context) (bool, []string, error) {
	paths, err := e.Repo.Dirty(ctx)
	if err != nil {
		return false, nil, fmt.Errorf("read the work tree's status: %w", err)
	}
	return len(paths) == 0, paths, nil
}
