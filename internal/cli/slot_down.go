package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// SlotDownOptions are the inputs of `kickoff slot down`.
type SlotDownOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Slot   string
	Reason string
	NoWait bool
	JSON   bool
}

func newCmdSlotDown(f *Factory, runF func(*SlotDownOptions) error) *cobra.Command {
	opts := &SlotDownOptions{F: f}
	cmd := &cobra.Command{
		Use:   "down SLOT",
		Short: "Stop and remove a slot's containers and network (recorded in the ledger)",
		Args:  exactArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return slotDownRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Reason, "reason", "", "why, for the ledger")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "fail at once when a release holds the slot")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the ledger record as JSON")
	return cmd
}

func slotDownRun(opts *SlotDownOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotServiceFor(f, opts.Slot)
	if err != nil {
		return err
	}
	rec, err := svc.Down(ctx, opts.Slot, opts.Reason, opts.NoWait)
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(rec)
	}
	f.IO.Eprintf("%s is down (recorded as %s)\n", opts.Slot, rec.ID)
	return nil
}
