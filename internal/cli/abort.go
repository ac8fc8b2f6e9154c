package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// AbortOptions are the inputs of `kickoff abort`.
type AbortOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	JSON bool
}

func newCmdAbort(f *Factory, runF func(*AbortOptions) error) *cobra.Command {
	opts := &AbortOptions{F: f}
	cmd := &cobra.Command{
		Use:   "abort",
		Short: "Put everything back after a sync stopped on conflicts, or an interrupted new/feature/sync",
		Long: `Take back the kickoff command in progress: abort the merge a sync stopped in, then undo
the steps it did, newest first: return to the branch you were on, restore the changes it
stashed, delete the branches it made (locally and on the remote) and put back what it moved.`,
		Example: "  kickoff abort",
		Args:    maxArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return abortRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func abortRun(opts *AbortOptions) error {
	return takeBack(opts.Ctx, opts.F, opts.JSON, "aborted", "aborted %s: everything is back as it was\n", func(env *kickoff.Env) takeBackFunc { return env.Abort })
}
