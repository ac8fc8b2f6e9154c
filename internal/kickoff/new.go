package kickoff

import (
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// NewOptions are the inputs of `kickoff new`.
type NewOptions struct {
	Summary string
	Slug    string    // the name's summary part as given (--slug), instead of Summary's slug
	Day     time.Time // the kickoff's date, in the configured time zone
	From    string    // base ref; "" = the remote's main (else the local main)
	Push    bool
}

// NewPlan is what `kickoff new` will do.
type NewPlan struct {
	Name     Name
	Base     string // the ref it starts from
	BaseHash plumbing.Hash
	Pushed   bool // the plan pushes it
	Checkout bool // the plan switches to it
	// Naming says how the summary became the name (spelled in Latin letters, letters left
	// out), to show before the plan runs.
	Naming []string
	Notes  []string
	Plan   Plan
}

// PlanNew validates the name and the repository and plans the new kickoff branch.
// Connect first, so the remote's branches and main are current.
func (e *Env) PlanNew(ctx context.Context, o NewOptions) (*NewPlan, error) {
	name, naming, err := newName(o)
	if err != nil {
		return nil, err
	}
	np := &NewPlan{Name: name, Naming: naming}
	if o.From == "" {
		np.Base, np.BaseHash, err = e.MainHead()
	} else {
		np.Base = o.From
		np.BaseHash, err = e.Repo.Resolve(o.From)
	}
	if err != nil {
		return nil, err
	}
	if where, ok := e.exists(name.String()); ok {
		return nil, fmt.Errorf("%w: %s exists %s; pick another summary or date, or use it (git switch %s)", ErrExists, name, where, name)
	}
	e.stepCreateBranch(&np.Plan, name.String(), np.BaseHash, np.Base)
	if np.Pushed, np.Checkout, err = e.stepsPublishAndSwitch(ctx, &np.Plan, &np.Notes, name.String(), o.Push); err != nil {
		return nil, err
	}
	return np, nil
}

func (e *Env) offlineWhy() string {
	if e.offline != "" {
		return "remote not reachable"
	}
	return "remote not contacted"
}

// newName is the kickoff's name: from --slug as given, else from the summary, with what a
// person should know of how the summary was spelled.
func newName(o NewOptions) (Name, []string, error) {
	if o.Slug != "" {
		if err := CheckSlug(o.Slug, MaxSummary); err != nil {
			return Name{}, nil, err
		}
		return nameOn(o.Day, o.Slug), nil, nil
	}
	name, err := NewName(o.Day, o.Summary)
	if err != nil {
		return Name{}, nil, err
	}
	return name, SlugOf(o.Summary).Notes(), nil
}
