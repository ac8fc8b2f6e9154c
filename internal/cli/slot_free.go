package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// SlotFreeOptions are the inputs of `kickoff slot free`.
type SlotFreeOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	Slot string
	JSON bool
}

func newCmdSlotFree(f *Factory, runF func(*SlotFreeOptions) error) *cobra.Command {
	opts := &SlotFreeOptions{F: f}
	cmd := &cobra.Command{
		Use:   "free SLOT",
		Short: "End a slot's reservation",
		Args:  exactArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return slotFreeRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the ledger record as JSON")
	return cmd
}

func slotFreeRun(opts *SlotFreeOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotServiceFor(f, opts.Slot)
	if err != nil {
		return err
	}
	rec, err := svc.Free(ctx, opts.Slot)
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(rec)
	}
	f.IO.Eprintf("%s is free\n", opts.Slot)
	return nil
}
