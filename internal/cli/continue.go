package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// ContinueOptions are the inputs of `kickoff continue`.
type ContinueOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	JSON bool
}

func newCmdContinue(f *Factory, runF func(*ContinueOptions) error) *cobra.Command {
	opts := &ContinueOptions{F: f}
	cmd := &cobra.Command{
		Use:   "continue",
		Short: "Finish a sync stopped on conflicts, or a new/feature/sync that was interrupted",
		Long: `Finish the kickoff command in progress from the first step it did not finish.
After a sync stopped on conflicts: check they are all resolved (no file unmerged or still
holding conflict markers), commit the merge, push the kickoff, switch back to the branch you
were on and restore your stashed changes. After an interrupted new, feature or sync
(killed, the machine went down): the remaining steps. See also ` + "`kickoff abort`" + `.`,
		Example: "  git add shared.txt && kickoff continue",
		Args:    maxArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return continueRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// journalResult is the --json output of `kickoff continue`, `abort` and `undo`.
type journalResult struct {
	Command string   `json:"command"` // new, feature, sync
	Subject string   `json:"subject"` // the branch it was about
	Outcome string   `json:"outcome"` // finished, aborted, undone
	Steps   []string `json:"steps"`   // the steps this run did (continue) or took back (abort, undo), in order
}

// takeBackFunc takes back a journaled command, telling undone each step it took back.
type takeBackFunc func(ctx context.Context, undone func(desc string)) (*kickoff.Journal, error)

// takeBack runs `kickoff abort` or `kickoff undo`: how (of the lifecycle env) takes the
// command back; the result is printed as outcome (--json) or with format and its title.
func takeBack(ctx context.Context, f *Factory, asJSON bool, outcome, format string, how func(*kickoff.Env) takeBackFunc) error {
	env, _, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	if err := env.Connect(ctx); err != nil {
		return err
	}
	res := journalResult{Outcome: outcome, Steps: []string{}}
	j, err := how(env)(ctx, func(desc string) {
		res.Steps = append(res.Steps, desc)
		f.IO.Eprintf("  undid: %s\n", desc)
	})
	if err != nil {
		return err
	}
	res.Command, res.Subject = j.Command, j.Subject
	if asJSON {
		return f.IO.JSON(res)
	}
	_, err = fmt.Fprintf(f.IO.Out, format, j.Title())
	return err
}

func continueRun(opts *ContinueOptions) error {
	env, _, err := lifecycleEnv(opts.F)
	if err != nil {
		return err
	}
	if err := env.Connect(opts.Ctx); err != nil {
		return err
	}
	return resumeRun(opts.Ctx, opts.F, env, opts.JSON)
}

// resumeRun finishes the command in progress: `kickoff continue`, and new, feature or sync
// run again after they were interrupted.
func resumeRun(ctx context.Context, f *Factory, env *kickoff.Env, asJSON bool) error {
	res := journalResult{Outcome: "finished", Steps: []string{}}
	j, err := env.Continue(ctx, func(desc string) {
		res.Steps = append(res.Steps, desc)
		f.IO.Eprintf("  %s\n", desc)
	})
	var stopped *kickoff.StoppedError
	if errors.As(err, &stopped) {
		printSyncStop(f, stopped, j)
		return ErrSilent
	}
	if err != nil {
		return err
	}
	res.Command, res.Subject = j.Command, j.Subject
	if asJSON {
		return f.IO.JSON(res)
	}
	_, err = fmt.Fprintf(f.IO.Out, "finished %s\n", j.Title())
	return err
}

// printSyncStop says where a sync stopped on conflicts left the user and what to do.
func printSyncStop(f *Factory, stop *kickoff.StoppedError, j *kickoff.Journal) {
	if len(stop.Conflicts) > 0 {
		f.IO.Eprintf("kickoff: merging %s into %s stopped on conflicts in:\n", stop.Main, stop.Branch)
		for _, c := range stop.Conflicts {
			f.IO.Eprintf("  %s\n", f.IO.Red(c))
		}
	} else {
		f.IO.Eprintf("kickoff: the merge of %s into %s is not resolved yet; still holding conflict markers:\n", stop.Main, stop.Branch)
		for _, c := range stop.Markers {
			f.IO.Eprintf("  %s\n", f.IO.Red(c))
		}
	}
	from, switched := j.SwitchedFrom()
	then := "commits the merge"
	if j.Pushes() {
		then += ", pushes " + stop.Branch
	}
	if switched {
		where := "a detached HEAD"
		if from != "" {
			where = from
			then += " and switches back to " + from
		}
		f.IO.Eprintf("kickoff: the work tree was switched from %s to %s to merge there", where, stop.Branch)
		if j.Stashed() {
			f.IO.Eprintf("; your uncommitted changes are stashed (`git stash list`)")
			then += ", restoring your changes"
		}
		f.IO.Eprintf(".\n")
	}
	f.IO.Eprintf("Resolve the conflicts and `git add` the files, then run `kickoff continue` (it %s),\nor run `kickoff abort` to put everything back as it was.\n", then)
}
