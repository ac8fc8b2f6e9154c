package kickoff

import (
	"errors"
	"fmt"
	"strings"
)

// RunError is a plan that stopped at a failed step: which steps were undone, which stayed
// because they cannot be undone (a pushed tag, a pushed main), and which undos failed.
// Lists are in the order the steps were taken back, newest first.
type RunError struct {
	Step     string
	Err      error
	Undone   []string
	Kept     []string
	UndoErrs []error
}

func (e *RunError) Error() string {
	var notes []string
	switch {
	case len(e.Undone) > 0 && len(e.Kept) == 0 && len(e.UndoErrs) == 0:
		notes = append(notes, "earlier steps were undone")
	case len(e.Undone) > 0:
		notes = append(notes, "undone: "+strings.Join(e.Undone, "; "))
	}
	if len(e.Kept) > 0 {
		notes = append(notes, "kept, as they cannot be undone: "+strings.Join(e.Kept, "; "))
	}
	if len(e.UndoErrs) > 0 {
		notes = append(notes, fmt.Sprintf("and undoing the earlier steps failed: %v", errors.Join(e.UndoErrs...)))
	}
	if len(notes) == 0 {
		return fmt.Sprintf("%s: %v", e.Step, e.Err)
	}
	return fmt.Sprintf("%s: %v (%s)", e.Step, e.Err, strings.Join(notes, "; "))
}

func (e *RunError) Unwrap() error { return e.Err }
