package platform

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// FinishPlan is `kickoff finish` across the platform: each repository's plan, and their
// steps as one plan (the other repositories first, this one last), so a failure anywhere
// undoes what can be undone everywhere.
type FinishPlan struct {
	Repos   []RepoFinish
	Missing []string // repositories that do not have the kickoff
	Plan    kickoff.Plan
}

// RepoFinish is the finish in one repository.
type RepoFinish struct {
	Repo string
	*kickoff.FinishPlan
}

// PlanFinish plans the finish in every member that has the kickoff, refusing (nothing
// changed) while any of them holds work not in its main: the error names every repository
// that does. o.Hooks (the final platform tag) run once, in this repository's plan; every
// repository keeps its own finished record, so `kickoff list --all` run in it alone still
// shows the kickoff.
func PlanFinish(ctx context.Context, ms []Member, name string, o kickoff.FinishOptions) (*FinishPlan, error) {
	fp := &FinishPlan{}
	var errs []error
	var here *RepoFinish
	var firstEmpty error
	for _, m := range ms {
		mo := o
		if !m.Current {
			mo.Hooks = nil
		}
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
	if len(fp.Repos) == 0 {
		return nil, fmt.Errorf("%w: %s is in none of the platform's repositories (see `kickoff list --all`)", kickoff.ErrUnknown, name)
	}
	for _, r := range fp.Repos {
		fp.Plan.Steps = append(fp.Plan.Steps, inRepo(r.Repo, r.Plan.Steps)...)
	}
	return fp, nil
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
