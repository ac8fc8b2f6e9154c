package platform

import (
	"context"
	"errors"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// NewPlan is `kickoff new` in several repositories: each one's plan, and all their steps
// as one plan, so a failure in one repository undoes what the others made.
type NewPlan struct {
	Name  kickoff.Name
	Repos []RepoNew
	Plan  kickoff.Plan
}

// RepoNew is the new kickoff in one repository.
type RepoNew struct {
	Repo string
	*kickoff.NewPlan
}

// PlanNew plans the kickoff in every member (connected first): a name taken in any of
// them, or a repository without the trunk, refuses it before anything is made, naming each
// repository that refused.
func PlanNew(ctx context.Context, ms []Member, o kickoff.NewOptions) (*NewPlan, error) {
	np := &NewPlan{}
	var errs []error
	for _, m := range ms {
		p, err := m.Env.PlanNew(ctx, o)
		if err != nil {
			errs = append(errs, m.Errorf(err))
			continue
		}
		np.Name = p.Name
		np.Repos = append(np.Repos, RepoNew{Repo: m.Name, NewPlan: p})
		np.Plan.Steps = append(np.Plan.Steps, inRepo(m.Name, p.Plan.Steps)...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return np, nil
}

// inRepo marks steps as made in repository name (their descriptions start with it).
func inRepo(name string, steps []kickoff.Step) []kickoff.Step {
	out := make([]kickoff.Step, len(steps))
	for i, s := range steps {
		s.Desc = name + ": " + s.Desc
		s.Repo = name
		out[i] = s
	}
	return out
}
