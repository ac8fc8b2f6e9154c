package kickoff

import (
	"context"
	"fmt"
	"strings"
)

// StepKind says what a step changes, so a plan can be read as data (--dry-run --json).
type StepKind string

// The kinds of step the lifecycle plans take.
const (
	StepCreateBranch StepKind = "create-branch" // a new local branch
	StepPush         StepKind = "push"          // refs pushed to the remote
	StepSwitch       StepKind = "switch"        // the work tree switched to a branch
	StepRecord       StepKind = "record"        // a kickoff ref written here (membership, finished record)
	StepMerge        StepKind = "merge"         // a merge commit on a branch
	StepTag          StepKind = "tag"           // a platform tag put on and pushed
	StepDelete       StepKind = "delete"        // refs deleted (on the remote when Remote is set)
	StepJira         StepKind = "jira"          // a change in Jira
	StepStash        StepKind = "stash"         // the work tree's changes put aside, or brought back
)

// Step is one change to the repository or its remote, with the way to take it back.
type Step struct {
	Desc   string                          // what it does, for --dry-run and error messages
	Kind   StepKind                        // what it changes
	Refs   []string                        // the full ref names it writes, moves or deletes
	Remote string                          // the remote it changes; "" for this repository
	Repo   string                          // the platform's repository it is made in; "" for a project of one
	Do     func(ctx context.Context) error // nil: informational step
	Undo   func(ctx context.Context) error // nil: nothing to undo (or cannot be undone)
	// Op is the step as data (ops.go), nil for a step only this process can run. A plan
	// whose steps all have one can be journaled (journal.go): resumed after an
	// interruption, continued or aborted when it stops, and undone later.
	Op *Op
}

// Plan is the list of steps a lifecycle command will take. It is data first: the CLI
// prints it for --dry-run, tests inspect it, and Run applies it.
type Plan struct {
	Steps []Step
}

// Add appends a step.
func (p *Plan) Add(desc string, do, undo func(ctx context.Context) error) {
	p.Steps = append(p.Steps, Step{Desc: desc, Do: do, Undo: undo})
}

// AddStep appends a step described as data: its kind, refs and remote.
func (p *Plan) AddStep(s Step) {
	p.Steps = append(p.Steps, s)
}

// String lists the steps, one a line.
func (p *Plan) String() string {
	var b strings.Builder
	for i, s := range p.Steps {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s.Desc)
	}
	return b.String()
}

// Descriptions lists the steps' descriptions.
func (p *Plan) Descriptions() []string {
	out := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = s.Desc
	}
	return out
}

// Run applies the steps in order, reporting each through done (may be nil). When one fails,
// the steps already applied are undone in reverse order (even if ctx was cancelled) and the
// error, a *RunError, says what failed, which steps were undone and which stayed.
func (p *Plan) Run(ctx context.Context, done func(desc string)) error {
	for i, s := range p.Steps {
		if s.Do == nil {
			continue
		}
		err := ctx.Err()
		if err == nil {
			err = s.Do(ctx)
		}
		if err == nil {
			if done != nil {
				done(s.Desc)
			}
			continue
		}
		uctx := context.WithoutCancel(ctx)
		re := &RunError{Step: s.Desc, Err: err}
		for j := i - 1; j >= 0; j-- {
			prev := p.Steps[j]
			switch {
			case prev.Do == nil:
			case prev.Undo == nil:
				re.Kept = append(re.Kept, prev.Desc)
			default:
				if uerr := prev.Undo(uctx); uerr != nil {
					re.UndoErrs = append(re.UndoErrs, fmt.Errorf("undo %q: %w", prev.Desc, uerr))
				} else {
					re.Undone = append(re.Undone, prev.Desc)
				}
			}
		}
		return re
	}
	return nil
}
