package kickoff

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// The last steps of `kickoff finish`: deleting what the finished record now stands for,
// on the remote and here, each step able to put it back.

// finishBranch is a branch finish deletes, with its heads (zero: absent) to restore.
type finishBranch struct {
	name          string
	local, remote plumbing.Hash
}

// finishDeletes is what finish deletes: the kickoff's and its features' branches, and the
// features' membership refs (the record lists the features).
type finishDeletes struct {
	kickoff  Name
	features []string
	branches []finishBranch
	members  []plumbing.ReferenceName
}

func (e *Env) branchesToDelete(k Name, features []string) finishDeletes {
	del := finishDeletes{kickoff: k, features: features}
	for _, b := range append([]string{k.String()}, features...) {
		l, r := e.BranchHeads(b)
		del.branches = append(del.branches, finishBranch{b, l, r})
	}
	for _, f := range features {
		del.members = append(del.members, memberRef(k, f))
	}
	return del
}

// planDeleteRemoteMembers deletes the membership refs that exist here and on the remote
// (onRemote: the remote's refs when planned).
func (e *Env) planDeleteRemoteMembers(p *Plan, del finishDeletes, onRemote map[string]gitrepo.RemoteRef) {
	var specs, back, refs []string
	for _, m := range del.members {
		if _, ok := onRemote[string(m)]; ok && !e.refHash(m).IsZero() {
			specs = append(specs, ":"+string(m))
			back = append(back, string(m)+":"+string(m))
			refs = append(refs, string(m))
		}
	}
	if len(specs) == 0 {
		return
	}
	p.AddStep(Step{
		Desc: fmt.Sprintf("delete the membership records of %s on %s", strings.Join(del.features, ", "), e.Remote),
		Kind: StepDelete, Refs: refs, Remote: e.Remote,
		Do:   func(ctx context.Context) error { return e.Repo.Push(ctx, e.Remote, e.getenv, specs...) },
		Undo: func(ctx context.Context) error { return e.Repo.Push(ctx, e.Remote, e.getenv, back...) }})
}

// planDeleteRemoteBranches deletes the branches on the remote; undoing pushes them back
// from their old heads.
func (e *Env) planDeleteRemoteBranches(p *Plan, del finishDeletes) {
	var onRemote []finishBranch
	var specs, names, refs []string
	for _, b := range del.branches {
		if !b.remote.IsZero() {
			onRemote = append(onRemote, b)
			specs = append(specs, ":refs/heads/"+b.name)
			names = append(names, b.name)
			refs = append(refs, "refs/heads/"+b.name)
		}
	}
	if len(specs) == 0 {
		return
	}
	p.AddStep(Step{
		Desc: fmt.Sprintf("delete %s on %s", strings.Join(names, ", "), e.Remote),
		Kind: StepDelete, Refs: refs, Remote: e.Remote,
		Do: func(ctx context.Context) error {
			if err := e.Repo.Push(ctx, e.Remote, e.getenv, specs...); err != nil {
				return err
			}
			for _, b := range onRemote {
				_ = e.Repo.DeleteRef(e.remoteRef(b.name))
			}
			return nil
		},
		Undo: func(ctx context.Context) error {
			// Put them back from their old heads, through temporary local refs.
			var back []string
			for _, b := range onRemote {
				tmp := plumbing.ReferenceName("refs/kickoff/restore/" + b.name)
				if err := e.Repo.SetRef(tmp, b.remote); err != nil {
					return err
				}
				defer e.Repo.DeleteRef(tmp)
				_ = e.Repo.SetRef(e.remoteRef(b.name), b.remote)
				back = append(back, string(tmp)+":refs/heads/"+b.name)
			}
			return e.Repo.Push(ctx, e.Remote, e.getenv, back...)
		}})
}

// planDeleteLocal deletes the local branches (and their git config) and membership refs.
// The kickoff's own branch goes last: a run interrupted half-way leaves it, so the kickoff
// is still found and the next run deletes the rest.
func (e *Env) planDeleteLocal(p *Plan, del finishDeletes) {
	var local []finishBranch
	var names, refs []string
	for _, b := range del.branches {
		if !b.local.IsZero() {
			local = append(local, b)
			names = append(names, b.name)
			refs = append(refs, "refs/heads/"+b.name)
		}
	}
	type member struct {
		ref plumbing.ReferenceName
		at  plumbing.Hash
	}
	var members []member
	for _, m := range del.members {
		if h := e.refHash(m); !h.IsZero() {
			members = append(members, member{m, h})
			refs = append(refs, string(m))
		}
	}
	if len(local) == 0 && len(members) == 0 {
		return
	}
	p.AddStep(Step{
		Desc: "delete local branches " + strings.Join(names, ", "), Kind: StepDelete, Refs: refs,
		Do: func(ctx context.Context) error {
			for _, m := range members {
				_ = e.Repo.DeleteRef(m.ref)
			}
			for i := len(local) - 1; i >= 0; i-- { // features first, the kickoff (first listed) last
				b := local[i]
				if err := e.Repo.DeleteRef(plumbing.NewBranchReferenceName(b.name)); err != nil {
					return err
				}
				_ = e.Repo.DeleteBranchConfig(b.name)
			}
			return nil
		},
		Undo: func(ctx context.Context) error {
			for _, b := range local {
				if err := e.Repo.SetRef(plumbing.NewBranchReferenceName(b.name), b.local); err != nil {
					return err
				}
			}
			for _, m := range members {
				_ = e.Repo.SetRef(m.ref, m.at)
			}
			return nil
		}})
}
