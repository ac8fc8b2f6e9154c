package platform

import (
	"context"
	"errors"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// SyncOutcome is `kickoff sync` in one repository.
type SyncOutcome struct {
	Member
	Missing bool                // the kickoff is not in this repository: nothing to do
	Result  *kickoff.SyncResult // nil when Missing or Err
	Err     error
}

// Sync merges main into the kickoff in every member that has it, each on its own: a
// conflict or a failure in one does not stop the others. In this repository a conflict
// stops in the work tree as `kickoff sync` does (continue or abort it); in another one,
// whose work tree is not the user's, a merge that would conflict is not started: its
// outcome is "conflicts", to resolve in a clone of it.
func Sync(ctx context.Context, ms []Member, name string, o kickoff.SyncOptions) []SyncOutcome {
	out := make([]SyncOutcome, len(ms))
	for i, m := range ms {
		out[i] = SyncOutcome{Member: m}
		k, err := m.Env.FindKickoff(name)
		if errors.Is(err, kickoff.ErrUnknown) {
			out[i].Missing = true
			continue
		}
		if err == nil && !m.Current && !o.Check {
			var check *kickoff.SyncResult
			if check, err = m.Env.Sync(ctx, k, kickoff.SyncOptions{Check: true}); err == nil && check.Outcome == kickoff.SyncConflicts {
				out[i].Result = check
				continue
			}
		}
		if err == nil {
			out[i].Result, err = m.Env.Sync(ctx, k, o)
		}
		if err != nil {
			out[i].Err = m.Errorf(err)
		}
	}
	return out
}
