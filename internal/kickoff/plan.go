package kickoff

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Step is one change to the repository or its remote, with the way to take it back.
type Step struct {
	Desc string                          // what it does, for --dry-run and error messages
	Do   func(ctx context.Context) error // nil: informational step
	Undo func(ctx context.Context) error // nil: nothing to undo (or cannot be undone)
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
// error says what failed and whether undoing worked.
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
		var undoErrs []error
		for j := i - 1; j >= 0; j-- {
			if u := p.Steps[j].Undo; u != nil && p.Steps[j].Do != nil {
				if uerr := u(uctx); uerr != nil {
					undoErrs = append(undoErrs, fmt.Errorf("undo %q: %w", p.Steps[j].Desc, uerr))
				}
			}
		}
		return stepFailed(s.Desc, err, i > 0, undoErrs)
	}
	return nil
}

// stepFailed says which step failed and whether undoing the steps before it worked.
func stepFailed(desc string, err error, undid bool, undoErrs []error) error {
	if len(undoErrs) > 0 {
		return fmt.Errorf("%s: %w (and undoing the earlier steps failed: %v)", desc, err, errors.Join(undoErrs...))
	}
	if undid {
		return fmt.Errorf("%s: %w (earlier steps were undone)", desc, err)
	}
	return fmt.Errorf("%s: %w", desc, err)
}
