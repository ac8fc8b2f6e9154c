package platform

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// FinishPlan is `kickoff finish` across the platform: each repository's plan, and their
// steps as one plan (the other repositories first, this one last), so a failure anywhere
// undoes what can be undone everywhere.
type FinishPlan struct {
	Repos   []RepoFinish
	Missing []string // repositories that do not have the kickoff
	// Done are the repositories an interrupted finish retired it in already (a record, no
	// branch left): nothing to do there.
	Done  []string
	Plan  kickoff.Plan
	notes []string // the hooks' notes, for the finished records
}

// RepoFinish is the finish in one repository.
type RepoFinish struct {
	Repo string
	*kickoff.FinishPlan
}

// PlanFinish plans the finish in every member that has the kickoff, refusing (nothing
// changed) while any of them holds work not in its main: the error names every repository
// that does. The plan runs in three phases, so that a failure anywhere undoes what can be
// undone everywhere and nothing is deleted before the final tag is on: first each
// repository's merge and push of main, then o.Hooks once (the final platform tag, told
// each repository's main commit that ships the kickoff in FinishInfo.Mains), then each
// repository's finished record and deletions. Every repository keeps its own finished
// record (with the hooks' notes), so `kickoff list --all` run in it alone still shows the
// kickoff.
func PlanFinish(ctx context.Context, ms []Member, name string, o kickoff.FinishOptions) (*FinishPlan, error) {
	fp := &FinishPlan{}
	var errs []error
	var here *RepoFinish
	var firstEmpty, finished error
	for _, m := range ms {
		mo := o
		mo.Hooks, mo.RecordNotes = nil, func() []string { return fp.notes }
		p, err := m.Env.PlanFinish(ctx, name, mo)
		var empty *kickoff.EmptyError
		if errors.As(err, &empty) {
			// Nobody committed on it in this repository: it is dropped there (a record
			// kept), as long as no feature branch holds work main lacks.
			if firstEmpty == nil {
				firstEmpty = m.Errorf(err)
			}
			p, err = dropEmpty(ctx, m, name, o)
		}
		switch {
		case errors.Is(err, kickoff.ErrUnknown):
			fp.Missing = append(fp.Missing, m.Name)
			continue
		case errors.Is(err, kickoff.ErrFinished):
			fp.Done = append(fp.Done, m.Name)
			finished = m.Errorf(err)
			continue
		case err != nil:
			errs = append(errs, m.Errorf(err))
			continue
		}
		rf := RepoFinish{Repo: m.Name, FinishPlan: p}
		if m.Current {
			here = &rf
			continue
		}
		fp.Repos = append(fp.Repos, rf)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if here != nil {
		fp.Repos = append(fp.Repos, *here)
	}
	if firstEmpty != nil && len(fp.Repos) > 0 && allEmpty(fp.Repos) {
		return nil, firstEmpty // nothing to ship anywhere: abandon it instead
	}
	if len(fp.Repos) == 0 && finished != nil {
		return nil, finished
	}
	if len(fp.Repos) == 0 {
		return nil, fmt.Errorf("%w: %s is in none of the platform's repositories (see `kickoff list --all`)", kickoff.ErrUnknown, name)
	}
	var retire []kickoff.Step
	for _, r := range fp.Repos {
		steps := inRepo(r.Repo, r.Plan.Steps)
		i := slices.IndexFunc(steps, func(s kickoff.Step) bool { return s.Kind == kickoff.StepRecord || s.Kind == kickoff.StepDelete })
		if i < 0 {
			i = len(steps)
		}
		fp.Plan.Steps = append(fp.Plan.Steps, steps[:i]...)
		retire = append(retire, steps[i:]...)
	}
	fp.planHooks(name, o.Hooks)
	fp.Plan.Steps = append(fp.Plan.Steps, retire...)
	return fp, nil
}

// Mains is each repository's main commit that ships the kickoff: the repositories where it
// has commits of its own and is not finished yet (an interrupted finish tagged those).
func (fp *FinishPlan) Mains() map[string]plumbing.Hash {
	out := map[string]plumbing.Hash{}
	for _, r := range fp.Repos {
		if !r.Empty && !r.Kickoff.Finished {
			out[r.Repo] = r.MainCommit
		}
	}
	return out
}

// planHooks adds the hooks' steps, run once for the platform with this repository's
// finish (else the last one's) and every repository's main commit; their notes go into
// every finished record written after them.
func (fp *FinishPlan) planHooks(name string, hooks []kickoff.FinishHook) {
	if len(hooks) == 0 || len(fp.Repos) == 0 {
		return
	}
	here := fp.Repos[len(fp.Repos)-1]
	info := kickoff.FinishInfo{Kickoff: here.Kickoff.Name, Head: here.Head, MainCommit: here.MainCommit, Mains: fp.Mains()}
	for _, f := range here.Features {
		info.Features = append(info.Features, f.Branch)
	}
	for _, h := range hooks {
		fp.Plan.AddStep(kickoff.Step{Desc: h.Desc, Kind: h.Kind, Refs: h.Refs, Remote: h.Remote, Do: func(ctx context.Context) error {
			note, err := h.Run(ctx, info)
			if note != "" {
				fp.notes = append(fp.notes, note)
			}
			return err
		}})
	}
}

// dropEmpty plans dropping a kickoff without commits of its own in one repository
// (kickoff.Env.PlanAbandon), refused when its branches hold commits main lacks.
func dropEmpty(ctx context.Context, m Member, name string, o kickoff.FinishOptions) (*kickoff.FinishPlan, error) {
	ap, err := m.Env.PlanAbandon(ctx, name, kickoff.AbandonOptions{FeaturePrefix: o.FeaturePrefix, Now: o.Now})
	if err != nil {
		return nil, err
	}
	if n := len(ap.Dropped); n > 0 {
		var held []string
		for _, b := range ap.Branches {
			if b.NotMain > 0 {
				held = append(held, fmt.Sprintf("%s (%d)", b.Branch, b.NotMain))
			}
		}
		return nil, fmt.Errorf("%s: %w: %s; merge them into %s first, nothing was deleted", name, kickoff.ErrUnmerged, strings.Join(held, ", "), m.Env.Main)
	}
	return &kickoff.FinishPlan{Kickoff: ap.Kickoff, Head: ap.Kickoff.Head, MainCommit: ap.MainCommit, Plan: ap.Plan, Pushes: ap.Pushes,
		Notes: []string{fmt.Sprintf("%s: no commits of its own in %s: its branches are deleted, a record kept at %s", name, m.Name, ap.Record)},
		Empty: true}, nil
}

func allEmpty(rs []RepoFinish) bool {
	for _, r := range rs {
		if !r.Empty {
			return false
		}
	}
	return true
}
