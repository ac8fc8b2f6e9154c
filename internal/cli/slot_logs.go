package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// SlotLogsOptions are the inputs of `kickoff slot logs`.
type SlotLogsOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Slot   string
	App    string // an app or another service of the slot (a database); empty: all of them
	Follow bool
	Tail   int
}

func newCmdSlotLogs(f *Factory, runF func(*SlotLogsOptions) error) *cobra.Command {
	opts := &SlotLogsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "logs SLOT [APP|SERVICE]",
		Short: "Print a slot's logs, or one app's or service's (a database)",
		Args:  rangeArgs(1, 2, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
			if len(args) == 2 {
				opts.App = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return slotLogsRun(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Follow, "follow", "f", false, "keep printing new lines")
	cmd.Flags().IntVar(&opts.Tail, "tail", 200, "lines from the end of each container's log; -1 for all")
	return cmd
}

func slotLogsRun(opts *SlotLogsOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotServiceFor(f, opts.Slot)
	if err != nil {
		return err
	}
	return svc.Logs(ctx, opts.Slot, opts.App, opts.Tail, opts.Follow, f.IO.Out)
}
