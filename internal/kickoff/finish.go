package kickoff

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// FinishInfo is what finish hooks learn about the kickoff being finished.
type FinishInfo struct {
	Kickoff    Name
	Head       plumbing.Hash // the kickoff's last commit
	MainCommit plumbing.Hash // the main commit that contains it (after --merge, the merge)
	Features   []string
	// Mains is, in a platform of several repositories, each repository's main commit that
	// ships the kickoff (those where it had commits of its own and is not finished yet).
	Mains map[string]plumbing.Hash
}

// FinishHook runs after the kickoff is known to be in main and before any branch is
// deleted; a failure undoes what finish did so far and deletes nothing. The versions area
// uses one to put the final platform tag. Its note ("version: platform/v1.3.0") is kept in
// the finished record.
type FinishHook struct {
	Desc   string
	Kind   StepKind // what it changes (StepTag for the final platform tag)
	Refs   []string // the refs it writes, when known before it runs
	Remote string   // the remote it changes; "" for this repository
	Run    func(ctx context.Context, info FinishInfo) (note string, err error)
}

// FinishOptions are the inputs of `kickoff finish`.
type FinishOptions struct {
	Merge         bool // merge the kickoff into main when it is not in it yet (clean merges only)
	FeaturePrefix string
	Hooks         []FinishHook
	// RecordNotes are more notes for the finished record, asked for when it is written (in
	// a platform, the final tag is put by a step of its own, before any record).
	RecordNotes func() []string
	Now         time.Time
}

// FinishPlan is what `kickoff finish` will do.
type FinishPlan struct {
	Kickoff    Kickoff
	Head       plumbing.Hash
	MainCommit plumbing.Hash
	Merges     bool // the plan merges the kickoff into main (or pushes a merge an interrupted run made)
	Features   []Feature
	Plan       Plan
	Notes      []string
	Pushes     bool // the plan changes the remote; false: finished here only (no remote)
	Resumed    bool // an interrupted finish left some of its work done: the plan picks up from there
	// Empty: the kickoff has no commits of its own here and the plan drops it (a platform's
	// repository nobody committed in; see platform.PlanFinish).
	Empty bool
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
	k, err := e.unfinishedKickoff(name)
	if errors.Is(err, ErrFinished) {
		return e.planFinishLeftovers(ctx, name, err)
	}
	if err != nil {
		return nil, err
	}
	mainRef, mainHash, err := e.MainHead()
	if err != nil {
		return nil, err
	}
	fp := &FinishPlan{Kickoff: k, MainCommit: mainHash, Pushes: hasRemote}
	kl, kr := e.BranchHeads(k.Name.String())
	if fp.Head, err = e.newest(kl, kr); err != nil {
		return nil, err
	}
	own, err := e.OwnCommits(ctx, k.Name, fp.Head)
	if err != nil {
		return nil, err
	}
	if own.Empty {
		return nil, &EmptyError{Own: own, Do: "finishing it"}
	}
	current := e.Repo.CurrentBranch()
	if err := e.planKickoffInMain(ctx, fp, o.Merge, kl, kr, mainRef, current); err != nil {
		return nil, err
	}
	features, err := e.mergedFeatures(fp, o.FeaturePrefix)
	if err != nil {
		return nil, err
	}
	if err := e.planStepOff(ctx, fp, current, features); err != nil {
		return nil, err
	}
	var onRemote map[string]gitrepo.RemoteRef
	if hasRemote {
		if onRemote, err = e.Repo.RemoteRefs(ctx, e.Remote, e.getenv); err != nil {
			return nil, err
		}
	}
	e.planHooksAndRecord(fp, o, features)
	del := e.branchesToDelete(k.Name, features)
	if hasRemote {
		e.planDeleteRemoteMembers(&fp.Plan, del, onRemote)
		e.planPushRecord(fp, onRemote)
		e.planDeleteRemoteBranches(&fp.Plan, del)
	}
	e.planDeleteLocal(&fp.Plan, del)
	return fp, nil
}

// unfinishedKickoff finds the live kickoff called name, saying so when it was finished.
func (e *Env) unfinishedKickoff(name string) (Kickoff, error) {
	k, err := e.FindKickoff(name)
	if err != nil && errors.Is(err, ErrUnknown) && !e.refHash(plumbing.ReferenceName(FinishedRefPrefix+name)).IsZero() {
		return Kickoff{}, fmt.Errorf("%s is %w (see `kickoff list --all`)", name, ErrFinished)
	}
	return k, err
}

// ErrFinished: the kickoff has a finished record and no branch left.
var ErrFinished = errors.New("already finished")

// addUnmerged counts the commits of a branch's local and remote heads (zero: absent) that
// are not in the main commit into, and lists the heads that have some in u.
func (e *Env) addUnmerged(u *UnmergedError, branch string, local, remote, into plumbing.Hash) error {
	count := func(label string, h plumbing.Hash) error {
		if h.IsZero() {
			return nil
		}
		n, _, err := e.Repo.AheadBehind(h, into)
		if err != nil {
			return err
		}
		if n > 0 {
			u.Branches[label] = n
			u.Order = append(u.Order, label)
		}
		return nil
	}
	if err := count(branch, local); err != nil {
		return err
	}
	if remote == local {
		return nil
	}
	return count(e.Remote+"/"+branch, remote)
}

// planKickoffInMain checks that the kickoff is in main; when it is not, it refuses, or with
// --merge plans the merge (see planMerge).
func (e *Env) planKickoffInMain(ctx context.Context, fp *FinishPlan, merge bool, kl, kr plumbing.Hash, mainRef, current string) error {
	unmerged := &UnmergedError{Kickoff: fp.Kickoff.Name, Branches: map[string]int{}}
	if err := e.addUnmerged(unmerged, fp.Kickoff.Name.String(), kl, kr, fp.MainCommit); err != nil {
		return err
	}
	if len(unmerged.Order) == 0 {
		return nil
	}
	if merge {
		if resumed, err := e.resumeMergedMain(ctx, fp); err != nil || resumed {
			return err
		}
	}
	if !merge {
		unmerged.Hint = fmt.Sprintf("Merge it into %s first (or run `kickoff finish %s --merge`).", mainRef, fp.Kickoff.Name)
		return unmerged
	}
	clean, _, err := e.clean(ctx)
	if err != nil {
		return err
	}
	return e.planMerge(ctx, fp, kl, kr, mainRef, current, clean)
}

// mergedFeatures finds the kickoff's feature branches (into fp.Features) and checks them
// against main as it will be; it returns their names, or an UnmergedError.
func (e *Env) mergedFeatures(fp *FinishPlan, prefix string) ([]string, error) {
	ds, err := e.Describe([]Kickoff{fp.Kickoff}, prefix)
	if err != nil {
		return nil, err
	}
	fp.Features = ds[0].Features
	unmerged := &UnmergedError{Kickoff: fp.Kickoff.Name, Branches: map[string]int{}}
	var names []string
	for _, f := range fp.Features {
		fl, fr := e.BranchHeads(f.Branch)
		if err := e.addUnmerged(unmerged, f.Branch, fl, fr, fp.MainCommit); err != nil {
			return nil, err
		}
		names = append(names, f.Branch)
	}
	if len(unmerged.Order) > 0 {
		unmerged.Hint = "Merge or delete those feature branches first."
		return nil, unmerged
	}
	return names, nil
}

// planStepOff switches to main when the checked-out branch is about to be deleted; with
// uncommitted changes it refuses instead.
func (e *Env) planStepOff(ctx context.Context, fp *FinishPlan, current string, features []string) error {
	if current != fp.Kickoff.Name.String() && !slices.Contains(features, current) {
		return nil
	}
	clean, dirty, err := e.clean(ctx)
	if err != nil {
		return err
	}
	if !clean {
		return fmt.Errorf("%w (%s): finish must switch off %s to delete it; commit or stash them first; nothing was deleted", ErrDirty, strings.Join(firstN(dirty, 3), ", "), current)
	}
	if !fp.Merges || current != e.Main { // a --merge on main has switched already
		e.stepSwitch(&fp.Plan, e.Main)
	}
	return nil
}

// planHooksAndRecord plans the finish hooks, then the finished record, which keeps the
// hooks' notes.
func (e *Env) planHooksAndRecord(fp *FinishPlan, o FinishOptions, features []string) {
	k := fp.Kickoff.Name
	info := FinishInfo{Kickoff: k, Head: fp.Head, MainCommit: fp.MainCommit, Features: features}
	rec := Record{Kickoff: k, Head: fp.Head, MainCommit: fp.MainCommit, Features: features, When: o.Now}
	for _, h := range o.Hooks {
		fp.Plan.AddStep(Step{Desc: h.Desc, Kind: h.Kind, Refs: h.Refs, Remote: h.Remote, Do: func(ctx context.Context) error {
			note, err := h.Run(ctx, info)
			if note != "" {
				rec.Notes = append(rec.Notes, note)
			}
			return err
		}})
	}
	recRef := finishedRef(k)
	if e.recordOf(k, fp.Head) {
		// An interrupted finish wrote it: keep it (and when it finished), do not write another.
		fp.Resumed = true
		fp.Notes = append(fp.Notes, fmt.Sprintf("resuming an interrupted finish: its record %s is kept", recRef))
		fp.Plan.AddStep(Step{
			Desc: fmt.Sprintf("keep the record of %s an interrupted finish wrote (%s)", k, recRef),
			Kind: StepRecord, Refs: []string{string(recRef)},
			Do: func(context.Context) error { return nil }})
		return
	}
	old := e.refHash(recRef) // a record of an older kickoff of the same name, replaced
	fp.Plan.AddStep(Step{
		Desc: fmt.Sprintf("record %s as finished (%s)", k, recRef), Kind: StepRecord, Refs: []string{string(recRef)},
		Do: func(ctx context.Context) error {
			if rec.When.IsZero() {
				rec.When = time.Now()
			}
			if o.RecordNotes != nil {
				rec.Notes = append(rec.Notes, o.RecordNotes()...)
			}
			return e.writeRecord(ctx, rec)
		},
		Undo: func(ctx context.Context) error {
			if old.IsZero() {
				return e.Repo.DeleteRef(recRef)
			}
			return e.Repo.SetRef(recRef, old)
		}})
}

// planPushRecord pushes the finished record, so every clone lists the kickoff as finished:
// only while the remote still has what it had when planned (none, an interrupted finish's
// record, an older kickoff's), and not at all when it already has this one.
func (e *Env) planPushRecord(fp *FinishPlan, onRemote map[string]gitrepo.RemoteRef) {
	recRef := finishedRef(fp.Kickoff.Name)
	was := onRemote[string(recRef)].Hash
	var pushed plumbing.Hash
	fp.Plan.AddStep(Step{
		Desc: fmt.Sprintf("push the record to %s", e.Remote), Kind: StepPush, Refs: []string{string(recRef)}, Remote: e.Remote,
		Do: func(ctx context.Context) error {
			h := e.refHash(recRef)
			if h == was {
				return nil // pushed by an interrupted finish
			}
			if err := e.Repo.PushAtomic(ctx, e.Remote, e.getenv, []gitrepo.RefUpdate{{Name: recRef, New: h, Old: was}}); err != nil {
				return err
			}
			pushed = h
			return nil
		},
		Undo: func(ctx context.Context) error {
			if pushed.IsZero() {
				return nil
			}
			return e.Repo.PushAtomic(ctx, e.Remote, e.getenv, []gitrepo.RefUpdate{{Name: recRef, New: was, Old: pushed}})
		}})
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
	fp.Plan.AddStep(Step{
		Desc: fmt.Sprintf("merge %s into %s (merge commit %s)", name, e.Main, Short(mergeHash)),
		Kind: StepMerge, Refs: []string{string(mainBranch)},
		Do: func(ctx context.Context) error {
			if onMain {
				// The work tree follows: let git move it (fast-forward to the merge commit).
				return e.Repo.FastForward(ctx, merge)
			}
			return e.Repo.SetRef(mainBranch, mergeHash)
		},
		Undo: func(ctx context.Context) error {
			if localMain.IsZero() {
				return e.Repo.DeleteRef(mainBranch)
			}
			if onMain {
				return e.Repo.ResetKeep(ctx, localMain.String())
			}
			return e.Repo.SetRef(mainBranch, localMain)
		}})
	if e.Repo.HasRemote(e.Remote) {
		// A pushed main is never rewritten, so this step has no undo: later failures leave
		// main merged, which is what the user asked for.
		fp.Plan.AddStep(Step{
			Desc: fmt.Sprintf("push %s to %s", e.Main, e.Remote), Kind: StepPush, Refs: []string{string(mainBranch)}, Remote: e.Remote,
			Do: func(ctx context.Context) error {
				return e.Repo.Push(ctx, e.Remote, e.getenv, string(mainBranch)+":"+string(mainBranch))
			}})
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
