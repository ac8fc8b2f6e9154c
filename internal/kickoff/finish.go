package kickoff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// FinishInfo is what finish hooks learn about the kickoff being finished.
type FinishInfo struct {
	Kickoff    Name
	Head       plumbing.Hash // the kickoff's last commit
	MainCommit plumbing.Hash // the main commit that contains it (after --merge, the merge)
	Features   []string
}

// FinishHook runs after the kickoff is known to be in main and before any branch is
// deleted; a failure undoes what finish did so far and deletes nothing. The versions area
// uses one to put the final platform tag. Its note ("version: platform/v1.3.0") is kept in
// the finished record.
type FinishHook struct {
	Desc string
	Run  func(ctx context.Context, info FinishInfo) (note string, err error)
}

// FinishOptions are the inputs of `kickoff finish`.
type FinishOptions struct {
	Merge         bool // merge the kickoff into main when it is not in it yet (clean merges only)
	FeaturePrefix string
	Hooks         []FinishHook
	Now           time.Time
}

// FinishPlan is what `kickoff finish` will do.
type FinishPlan struct {
	Kickoff    Kickoff
	Head       plumbing.Hash
	MainCommit plumbing.Hash
	Merges     bool // the plan merges the kickoff into main
	Features   []Feature
	Plan       Plan
	Notes      []string
}

// UnmergedError lists the branches with commits not in main: finish refuses them.
type UnmergedError struct {
	Kickoff  Name
	Branches map[string]int // branch (or origin/branch) -> commits not in main
	Order    []string
	Hint     string
}

func (e *UnmergedError) Error() string {
	var parts []string
	for _, b := range e.Order {
		parts = append(parts, fmt.Sprintf("%s (%d commit%s)", b, e.Branches[b], plural(e.Branches[b])))
	}
	return fmt.Sprintf("%s: %v: %s; nothing was deleted. %s", e.Kickoff, ErrUnmerged, strings.Join(parts, ", "), e.Hint)
}
func (e *UnmergedError) Unwrap() error { return ErrUnmerged }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// PlanFinish checks that the kickoff and its feature branches are all in main (or that
// --merge can merge the kickoff cleanly) and plans: merge and push main when asked, hooks,
// the finished record, then deleting the branches on the remote and locally.
// It refuses, changing nothing, while any of those branches has commits not in main.
func (e *Env) PlanFinish(ctx context.Context, name string, o FinishOptions) (*FinishPlan, error) {
	hasRemote := e.Repo.HasRemote(e.Remote)
	if hasRemote && !e.online {
		return nil, fmt.Errorf("finish deletes branches on %s, which cannot be reached now (%s); try again when it can", e.Remote, e.offline)
	}
	k, err := e.FindKickoff(name)
	if err != nil {
		if errors.Is(err, ErrUnknown) && !e.refHash(plumbing.ReferenceName(FinishedRefPrefix+name)).IsZero() {
			return nil, fmt.Errorf("%s is already finished (see `kickoff list --all`)", name)
		}
		return nil, err
	}
	mainRef, mainHash, err := e.MainHead()
	if err != nil {
		return nil, err
	}
	fp := &FinishPlan{Kickoff: k, MainCommit: mainHash}
	kl, kr := e.BranchHeads(k.Name.String())
	if fp.Head, err = e.newest(kl, kr); err != nil {
		return nil, err
	}
	unmerged := &UnmergedError{Kickoff: k.Name, Branches: map[string]int{}}
	notIn := func(label string, h plumbing.Hash, target plumbing.Hash) error {
		if h.IsZero() {
			return nil
		}
		n, _, err := e.Repo.AheadBehind(h, target)
		if err != nil {
			return err
		}
		if n > 0 {
			unmerged.Branches[label] = n
			unmerged.Order = append(unmerged.Order, label)
		}
		return nil
	}
	branchLabels := func(b string) (local, remote string) { return b, e.Remote + "/" + b }

	// The kickoff itself.
	lk, rk := branchLabels(k.Name.String())
	if err := notIn(lk, kl, mainHash); err != nil {
		return nil, err
	}
	if kr != kl {
		if err := notIn(rk, kr, mainHash); err != nil {
			return nil, err
		}
	}
	current := e.Repo.CurrentBranch()
	clean, dirty, err := e.clean(ctx)
	if err != nil {
		return nil, err
	}
	if len(unmerged.Order) > 0 {
		if !o.Merge {
			unmerged.Hint = fmt.Sprintf("Merge it into %s first (or run `kickoff finish %s --merge`).", mainRef, k.Name)
			return nil, unmerged
		}
		if err := e.planMerge(ctx, fp, kl, kr, mainRef, current, clean); err != nil {
			return nil, err
		}
		unmerged = &UnmergedError{Kickoff: k.Name, Branches: map[string]int{}}
	}

	// Its feature branches, against main as it will be.
	ds, err := e.Describe([]Kickoff{k}, o.FeaturePrefix)
	if err != nil {
		return nil, err
	}
	fp.Features = ds[0].Features
	var featNames []string
	for _, f := range fp.Features {
		fl, fr := e.BranchHeads(f.Branch)
		ll, rl := branchLabels(f.Branch)
		if err := notIn(ll, fl, fp.MainCommit); err != nil {
			return nil, err
		}
		if fr != fl {
			if err := notIn(rl, fr, fp.MainCommit); err != nil {
				return nil, err
			}
		}
		featNames = append(featNames, f.Branch)
	}
	if len(unmerged.Order) > 0 {
		unmerged.Hint = "Merge or delete those feature branches first."
		return nil, unmerged
	}

	// Step off a branch that is about to be deleted.
	leaving := current == k.Name.String()
	for _, f := range featNames {
		leaving = leaving || current == f
	}
	if leaving {
		if !clean {
			return nil, fmt.Errorf("%w (%s): finish must switch off %s to delete it; commit or stash them first; nothing was deleted", ErrDirty, strings.Join(firstN(dirty, 3), ", "), current)
		}
		if !fp.Merges || current != e.Main { // a --merge on main has switched already
			e.stepSwitch(&fp.Plan, e.Main)
		}
	}

	info := FinishInfo{Kickoff: k.Name, Head: fp.Head, MainCommit: fp.MainCommit, Features: featNames}
	rec := Record{Kickoff: k.Name, Head: fp.Head, MainCommit: fp.MainCommit, Features: featNames, When: o.Now}
	for _, h := range o.Hooks {
		h := h
		fp.Plan.Add(h.Desc, func(ctx context.Context) error {
			note, err := h.Run(ctx, info)
			if note != "" {
				rec.Notes = append(rec.Notes, note)
			}
			return err
		}, nil)
	}
	recRef := plumbing.ReferenceName(FinishedRefPrefix + k.Name.String())
	fp.Plan.Add(fmt.Sprintf("record %s as finished (%s)", k.Name, recRef),
		func(ctx context.Context) error {
			if rec.When.IsZero() {
				rec.When = time.Now()
			}
			return e.writeRecord(rec)
		},
		func(ctx context.Context) error { return e.Repo.Git.Storer.RemoveReference(recRef) })

	// Branches to delete: the kickoff and its features, where they exist.
	type branch struct {
		name          string
		local, remote plumbing.Hash
	}
	var del []branch
	for _, b := range append([]string{k.Name.String()}, featNames...) {
		l, r := e.BranchHeads(b)
		del = append(del, branch{b, l, r})
	}
	// The features' membership refs go too (the record lists the features).
	var members []plumbing.ReferenceName
	for _, f := range featNames {
		members = append(members, memberRef(k.Name, f))
	}
	if hasRemote {
		onRemoteRefs, err := e.Repo.RemoteRefs(ctx, e.Remote, e.getenv)
		if err != nil {
			return nil, err
		}
		var specs, back []string
		for _, m := range members {
			if _, ok := onRemoteRefs[string(m)]; ok && !e.refHash(m).IsZero() {
				specs = append(specs, ":"+string(m))
				back = append(back, string(m)+":"+string(m))
			}
		}
		if len(specs) > 0 {
			fp.Plan.Add(fmt.Sprintf("delete the membership records of %s on %s", strings.Join(featNames, ", "), e.Remote),
				func(ctx context.Context) error { return e.Repo.Push(ctx, e.Remote, e.getenv, specs...) },
				func(ctx context.Context) error { return e.Repo.Push(ctx, e.Remote, e.getenv, back...) })
		}
	}
	var localMembers []*plumbing.Reference
	for _, m := range members {
		if ref, err := e.Repo.Git.Reference(m, false); err == nil {
			localMembers = append(localMembers, ref)
		}
	}
	if hasRemote {
		fp.Plan.Add(fmt.Sprintf("push the record to %s", e.Remote),
			func(ctx context.Context) error {
				return e.Repo.Push(ctx, e.Remote, e.getenv, string(recRef)+":"+string(recRef))
			},
			func(ctx context.Context) error { return e.Repo.Push(ctx, e.Remote, e.getenv, ":"+string(recRef)) })
		var onRemote []branch
		var specs, names []string
		for _, b := range del {
			if !b.remote.IsZero() {
				onRemote = append(onRemote, b)
				specs = append(specs, ":refs/heads/"+b.name)
				names = append(names, b.name)
			}
		}
		if len(specs) > 0 {
			fp.Plan.Add(fmt.Sprintf("delete %s on %s", strings.Join(names, ", "), e.Remote),
				func(ctx context.Context) error {
					if err := e.Repo.Push(ctx, e.Remote, e.getenv, specs...); err != nil {
						return err
					}
					for _, b := range onRemote {
						_ = e.Repo.Git.Storer.RemoveReference(e.remoteRef(b.name))
					}
					return nil
				},
				func(ctx context.Context) error {
					// Put them back from their old heads, through temporary local refs.
					var back []string
					for _, b := range onRemote {
						tmp := plumbing.ReferenceName("refs/kickoff/restore/" + b.name)
						if err := e.Repo.Git.Storer.SetReference(plumbing.NewHashReference(tmp, b.remote)); err != nil {
							return err
						}
						defer e.Repo.Git.Storer.RemoveReference(tmp)
						_ = e.Repo.Git.Storer.SetReference(plumbing.NewHashReference(e.remoteRef(b.name), b.remote))
						back = append(back, string(tmp)+":refs/heads/"+b.name)
					}
					return e.Repo.Push(ctx, e.Remote, e.getenv, back...)
				})
		}
	}
	var local []branch
	var localNames []string
	for _, b := range del {
		if !b.local.IsZero() {
			local = append(local, b)
			localNames = append(localNames, b.name)
		}
	}
	if len(local) > 0 || len(localMembers) > 0 {
		fp.Plan.Add("delete local branches "+strings.Join(localNames, ", "),
			func(ctx context.Context) error {
				for _, b := range local {
					if err := e.Repo.Git.Storer.RemoveReference(plumbing.NewBranchReferenceName(b.name)); err != nil {
						return err
					}
					_ = e.Repo.DeleteBranchConfig(b.name)
				}
				for _, m := range localMembers {
					_ = e.Repo.Git.Storer.RemoveReference(m.Name())
				}
				return nil
			},
			func(ctx context.Context) error {
				for _, b := range local {
					if err := e.Repo.Git.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(b.name), b.local)); err != nil {
						return err
					}
				}
				for _, m := range localMembers {
					_ = e.Repo.Git.Storer.SetReference(m)
				}
				return nil
			})
	}
	return fp, nil
}

// planMerge adds the steps that merge the kickoff into main with a merge commit, when git
// can merge it without conflicts.
func (e *Env) planMerge(ctx context.Context, fp *FinishPlan, kl, kr plumbing.Hash, mainRef string, current string, clean bool) error {
	name := fp.Kickoff.Name.String()
	if !kl.IsZero() && !kr.IsZero() && kl != kr {
		lIn, err := e.Repo.IsAncestor(kl, kr)
		if err != nil {
			return err
		}
		rIn, err := e.Repo.IsAncestor(kr, kl)
		if err != nil {
			return err
		}
		if !lIn && !rIn {
			return fmt.Errorf("%w: %s and %s/%s; reconcile them (git pull) before finishing; nothing was changed", ErrDiverged, name, e.Remote, name)
		}
	}
	localMain := e.refHash(plumbing.NewBranchReferenceName(e.Main))
	if !localMain.IsZero() && localMain != fp.MainCommit {
		in, err := e.Repo.IsAncestor(localMain, fp.MainCommit)
		if err != nil {
			return err
		}
		if !in {
			return fmt.Errorf("local %s has commits that are not on %s: push them or reset %s before `finish --merge`; nothing was changed", e.Main, mainRef, e.Main)
		}
	}
	onMain := current == e.Main
	if onMain && !clean {
		return fmt.Errorf("%w: %s is checked out and would be updated by the merge; commit or stash first; nothing was changed", ErrDirty, e.Main)
	}
	res, err := e.Repo.MergeTree(ctx, fp.MainCommit.String(), fp.Head.String())
	if err != nil {
		return err
	}
	if len(res.Conflicts) > 0 {
		return fmt.Errorf("%s does not merge cleanly into %s (%v in %s): merge it by hand, then finish; nothing was changed",
			name, mainRef, ErrConflicts, strings.Join(res.Conflicts, ", "))
	}
	msg := fmt.Sprintf("Merge %s into %s", name, e.Main)
	merge, err := e.Repo.CommitTree(ctx, res.Tree, msg, fp.MainCommit.String(), fp.Head.String())
	if err != nil {
		return err
	}
	mergeHash := plumbing.NewHash(merge)
	mainBranch := plumbing.NewBranchReferenceName(e.Main)
	fp.Merges = true
	fp.Plan.Add(fmt.Sprintf("merge %s into %s (merge commit %s)", name, e.Main, Short(mergeHash)),
		func(ctx context.Context) error {
			if onMain {
				// The work tree follows: let git move it (fast-forward to the merge commit).
				_, err := e.Repo.Run(ctx, "merge", "--quiet", "--ff-only", merge)
				return err
			}
			return e.Repo.Git.Storer.SetReference(plumbing.NewHashReference(mainBranch, mergeHash))
		},
		func(ctx context.Context) error {
			if localMain.IsZero() {
				return e.Repo.Git.Storer.RemoveReference(mainBranch)
			}
			if onMain {
				_, err := e.Repo.Run(ctx, "reset", "--quiet", "--keep", localMain.String())
				return err
			}
			return e.Repo.Git.Storer.SetReference(plumbing.NewHashReference(mainBranch, localMain))
		})
	if e.Repo.HasRemote(e.Remote) {
		// A pushed main is never rewritten, so this step has no undo: later failures leave
		// main merged, which is what the user asked for.
		fp.Plan.Add(fmt.Sprintf("push %s to %s", e.Main, e.Remote),
			func(ctx context.Context) error {
				return e.Repo.Push(ctx, e.Remote, e.getenv, string(mainBranch)+":"+string(mainBranch))
			}, nil)
	}
	fp.MainCommit = mergeHash
	return nil
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "...")
	}
	return s
}
