package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/slot"
)

// SlotRollbackOptions are the inputs of `kickoff slot rollback`.
type SlotRollbackOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Slot   string
	To     string // the deploy id to go back to; empty: the previous deploy
	Reason string
	NoWait bool
	Wait   time.Duration
	JSON   bool
}

func newCmdSlotRollback(f *Factory, runF func(*SlotRollbackOptions) error) *cobra.Command {
	opts := &SlotRollbackOptions{F: f}
	cmd := &cobra.Command{
		Use:   "rollback SLOT [DEPLOY_ID]",
		Short: "Put a slot back exactly as a recorded deploy left it (the previous one by default)",
		Args:  rangeArgs(1, 2, "`kickoff history` lists the deploy ids"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
			if len(args) == 2 {
				opts.To = args[1]
			}
			if cmd.Flags().Changed("wait") && opts.Wait <= 0 {
				opts.NoWait = true // --wait 0: do not wait
			}
			if runF != nil {
				return runF(opts)
			}
			return slotRollbackRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Reason, "reason", "", "why, for the ledger")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "fail at once when a release holds the slot")
	cmd.Flags().DurationVar(&opts.Wait, "wait", slot.DefaultLockWait, "how long to wait for another deployer holding the slot (e.g. 30s, 20m)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the ledger record as JSON")
	return cmd
}

func slotRollbackRun(opts *SlotRollbackOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotServiceFor(f, opts.Slot)
	if err != nil {
		return err
	}
	prog := f.IO.NewProgress(svc.Cfg.AppNames()...)
	svc.Progress = prog.Set
	rec, err := svc.Rollback(ctx, slot.RollbackOptions{Slot: opts.Slot, To: opts.To, Reason: opts.Reason, NoWait: opts.NoWait, Wait: opts.Wait})
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(rec)
	}
	f.IO.Eprintf("%s\n", f.IO.Green(fmt.Sprintf("rolled %s back to deploy %s (%s), recorded as %s", opts.Slot, rec.RollbackOf, rec.Kickoff, rec.ID)))
	return nil
}
