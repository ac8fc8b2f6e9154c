package kickoff

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// Steps shared by the lifecycle plans. Each Do has the Undo that takes it back.

func (e *Env) stepCreateBranch(p *Plan, branch string, at plumbing.Hash, from string) {
	name := plumbing.NewBranchReferenceName(branch)
	p.AddStep(Step{
		Desc: fmt.Sprintf("create branch %s at %s (%s)", branch, from, Short(at)),
		Kind: StepCreateBranch, Refs: []string{string(name)},
		Do: func(ctx context.Context) error {
			if !e.refHash(name).IsZero() {
				return fmt.Errorf("%w: %s", ErrExists, branch)
			}
			return e.Repo.SetRef(name, at)
		},
		Undo: func(ctx context.Context) error {
			_ = e.Repo.DeleteBranchConfig(branch)
			return e.Repo.DeleteRef(name)
		}})
}

func (e *Env) stepPushNew(p *Plan, branch string) {
	p.AddStep(Step{
		Desc: fmt.Sprintf("push %s to %s and set its upstream", branch, e.Remote),
		Kind: StepPush, Refs: []string{"refs/heads/" + branch}, Remote: e.Remote,
		Do: func(ctx context.Context) error {
			spec := "refs/heads/" + branch + ":refs/heads/" + branch
			if err := e.Repo.Push(ctx, e.Remote, e.getenv, spec); err != nil {
				return err
			}
			return e.Repo.SetUpstream(branch, e.Remote)
		},
		Undo: func(ctx context.Context) error {
			return e.Repo.Push(ctx, e.Remote, e.getenv, ":refs/heads/"+branch)
		}})
}

// stepsPublishAndSwitch plans what follows creating a kickoff or feature branch: push it
// and set its upstream (unless push is off or the remote is out of reach: then a note says
// how to push it later), then switch to it when the work tree is clean (else a note says
// why not).
func (e *Env) stepsPublishAndSwitch(ctx context.Context, p *Plan, notes *[]string, branch string, push bool) (pushed, checkout bool, err error) {
	switch {
	case !push:
		*notes = append(*notes, fmt.Sprintf("not pushed (--no-push): push it with `git push -u %s %s`", e.Remote, branch))
	case !e.online:
		*notes = append(*notes, fmt.Sprintf("not pushed (%s): push it later with `git push -u %s %s`", e.offlineWhy(), e.Remote, branch))
	default:
		e.stepPushNew(p, branch)
		pushed = true
	}
	clean, _, err := e.clean(ctx)
	if err != nil {
		return false, false, err
	}
	if clean {
		e.stepSwitch(p, branch)
		return pushed, true, nil
	}
	*notes = append(*notes, fmt.Sprintf("not switched to it: the work tree has uncommitted changes (commit or stash them, then `git switch %s`)", branch))
	return pushed, false, nil
}

func (e *Env) stepSwitch(p *Plan, branch string) {
	prev := e.Repo.CurrentBranch()
	p.AddStep(Step{
		Desc: "switch to " + branch, Kind: StepSwitch, Refs: []string{"refs/heads/" + branch},
		Do: func(ctx context.Context) error { return e.Repo.Switch(ctx, branch) },
		Undo: func(ctx context.Context) error {
			if prev == "" {
				return nil
			}
			return e.Repo.Switch(ctx, prev)
		}})
}

// clean reports whether the work tree has no changes (a bare repository counts as clean).
func (e *Env) clean(ctx context.Context) (bool, []string, error) {
	paths, err := e.Repo.Dirty(ctx)
	if err != nil {
		return false, nil, fmt.Errorf("read the work tree's status: %w", err)
	}
	return len(paths) == 0, paths, nil
}
