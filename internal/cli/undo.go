package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// UndoOptions are the inputs of `kickoff undo`.
type UndoOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	JSON bool
}

func newCmdUndo(f *Factory, runF func(*UndoOptions) error) *cobra.Command {
	opts := &UndoOptions{F: f}
	cmd := &cobra.Command{
		Use:   "undo",
		Short: "Take back the last new, feature or sync",
		Long: `Take back the last kickoff new, feature or sync, from the plan it recorded, newest step
first. new and feature: switch back to the branch you were on, delete the branch (and a
feature's membership record) here and on the remote. sync: put the kickoff back at its tip
before the sync, here and, if the sync pushed, on the remote (a push --force-with-lease to
exactly the recorded tip). Refuses, changing nothing, when that would lose work done since:
commits made on the branch, or someone else's push.`,
		Example: "  kickoff undo",
		Args:    maxArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return undoRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func undoRun(opts *UndoOptions) error {
	return takeBack(opts.Ctx, opts.F, opts.JSON, "undone", "undid %s\n", func(env *kickoff.Env) takeBackFunc { return env.Undo })
}
