package kickoff

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// ConfigKickoffKey is the branch option (branch.<feature>.kickoff) recording which kickoff a
// feature branch was cut from.
const ConfigKickoffKey = "kickoff"

// FeatureOptions are the inputs of `kickoff feature`.
type FeatureOptions struct {
	Key      string
	Summary  string // the summary ("" without Jira)
	Template string // feature branch name template
	// Slug, when set, is the {{summary-slug}} as given (--slug), instead of the summary's.
	Slug string
	Push bool
}

// FeaturePlan is what `kickoff feature` will do.
type FeaturePlan struct {
	Branch   string
	Kickoff  Name
	Base     plumbing.Hash
	Pushed   bool
	Checkout bool
	// Naming says how the summary became the name (spelled in Latin letters, cut, letters
	// left out), to show before the plan runs.
	Naming []string
	Notes  []string
	Plan   Plan
}

// KickoffOf finds the kickoff a branch belongs to: itself when it is a kickoff branch, the
// recorded one for a feature branch made by kickoff, else the live kickoff whose own
// commits the branch contains. ok is false when none.
func (e *Env) KickoffOf(branch string) (Name, bool) {
	if n, err := ParseName(branch); err == nil {
		return n, true
	}
	if rec := e.recordedKickoff(branch, nil); rec != "" {
		if n, err := ParseName(rec); err == nil {
			return n, true
		}
	}
	l, r := e.BranchHeads(branch)
	head := l
	if head.IsZero() {
		head = r
	}
	if head.IsZero() {
		return Name{}, false
	}
	live, err := Live(e.Repo, e.Remote)
	if err != nil {
		return Name{}, false
	}
	_, mainHash, err := e.MainHead()
	if err != nil {
		return Name{}, false
	}
	if n, ok := e.inferKickoff(head, live, mainHash); ok {
		return n, true
	}
	return Name{}, false
}

// inferKickoff: the kickoff with the most of its own commits (not in main) inside head.
func (e *Env) inferKickoff(head plumbing.Hash, live []Kickoff, mainHash plumbing.Hash) (Name, bool) {
	best, bestShared := Name{}, 0
	for _, k := range live {
		own, _, err := e.Repo.AheadBehind(k.Head, mainHash)
		if err != nil || own == 0 {
			continue
		}
		notInHead, _, err := e.Repo.AheadBehind(k.Head, head)
		if err != nil {
			continue
		}
		if shared := own - notInHead; shared > bestShared {
			best, bestShared = k.Name, shared
		}
	}
	return best, bestShared > 0
}

// FindKickoff looks a live kickoff up by name.
func (e *Env) FindKickoff(name string) (Kickoff, error) {
	live, err := Live(e.Repo, e.Remote)
	if err != nil {
		return Kickoff{}, err
	}
	for _, k := range live {
		if k.Name.String() == name {
			return k, nil
		}
	}
	if _, err := ParseName(name); err != nil {
		return Kickoff{}, err
	}
	return Kickoff{}, fmt.Errorf("%w: %s is not a live kickoff here or on %s (see `kickoff list`)", ErrUnknown, name, e.Remote)
}

// NoKickoffError says no kickoff could be chosen and lists the live ones.
type NoKickoffError struct {
	Branch string
	Live   []Kickoff
}

func (e *NoKickoffError) Error() string {
	var names []string
	for _, k := range e.Live {
		names = append(names, k.Name.String())
	}
	where := "HEAD is detached"
	if e.Branch != "" {
		where = fmt.Sprintf("the current branch %q belongs to no kickoff", e.Branch)
	}
	if len(names) == 0 {
		return fmt.Sprintf("%s and there are no live kickoffs: create one with `kickoff new SUMMARY`", where)
	}
	return fmt.Sprintf("%s: pick one with --kickoff (live: %s)", where, strings.Join(names, ", "))
}

func (e *NoKickoffError) Unwrap() error { return ErrNoKickoff }

// ChooseKickoff picks the kickoff for a command: the named one when given, else the one
// the current branch belongs to; otherwise a *NoKickoffError listing the live kickoffs.
func (e *Env) ChooseKickoff(named string) (Kickoff, error) {
	if named != "" {
		return e.FindKickoff(named)
	}
	cur := e.Repo.CurrentBranch()
	if cur != "" {
		if n, ok := e.KickoffOf(cur); ok {
			return e.FindKickoff(n.String())
		}
	}
	live, err := Live(e.Repo, e.Remote)
	if err != nil {
		return Kickoff{}, err
	}
	return Kickoff{}, &NoKickoffError{Branch: cur, Live: live}
}

// PlanFeature plans a feature branch for an issue, cut from the kickoff's newest head.
func (e *Env) PlanFeature(ctx context.Context, k Kickoff, o FeatureOptions) (*FeaturePlan, error) {
	var branch string
	var naming []string
	var err error
	if o.Slug != "" {
		if err := CheckSlug(o.Slug, MaxFeatureSlug); err != nil {
			return nil, err
		}
		if !HasSlug(o.Template) {
			return nil, fmt.Errorf("--slug: feature.template %q has no {{summary-slug}} for it to fill", o.Template)
		}
		branch, err = FeatureNameSlug(o.Template, o.Key, o.Slug, k.Name)
	} else {
		branch, err = FeatureName(o.Template, o.Key, o.Summary, k.Name)
		naming = FeatureSlugNotes(o.Template, o.Summary)
	}
	if err != nil {
		return nil, err
	}
	if where, ok := e.exists(branch); ok {
		return nil, fmt.Errorf("%w: %s exists %s; switch to it with `git switch %s`", ErrExists, branch, where, branch)
	}
	l, r := e.BranchHeads(k.Name.String())
	base, err := e.newest(l, r)
	if err != nil {
		return nil, err
	}
	from := k.Name.String()
	if base == r && base != l {
		from = e.Remote + "/" + from
	}
	fp := &FeaturePlan{Branch: branch, Kickoff: k.Name, Base: base, Naming: naming}
	e.stepCreateBranch(&fp.Plan, branch, base, from)
	pushing := o.Push && e.online
	e.stepRecordMember(&fp.Plan, k.Name, branch, base, pushing)
	if fp.Pushed, fp.Checkout, err = e.stepsPublishAndSwitch(ctx, &fp.Plan, &fp.Notes, branch, o.Push); err != nil {
		return nil, err
	}
	return fp, nil
}
