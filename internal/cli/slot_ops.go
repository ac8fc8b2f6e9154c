package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// SlotLogsOptions are the inputs of `kickoff slot logs`.
type SlotLogsOptions struct {
	f      *Factory
	ctx    context.Context
	Slot   string
	App    string
	Follow bool
	Tail   int
}

func newCmdSlotLogs(f *Factory, runF func(*SlotLogsOptions) error) *cobra.Command {
	opts := &SlotLogsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "logs SLOT [APP]",
		Short: "Print a slot's logs, or one app's",
		Args:  rangeArgs(1, 2, "a slot and optionally an app"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.Slot = cmd.Context(), args[0]
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
	cmd.Flags().IntVar(&opts.Tail, "tail", 200, "lines from the end of each app's log; -1 for all")
	return cmd
}

func slotLogsRun(opts *SlotLogsOptions) error {
	svc, err := slotService(opts.f)
	if err != nil {
		return err
	}
	if err := checkSlot(svc.Cfg, opts.Slot); err != nil {
		return err
	}
	return svc.Logs(opts.ctx, opts.Slot, opts.App, opts.Tail, opts.Follow, opts.f.IO.Out)
}

// SlotDownOptions are the inputs of `kickoff slot down`.
type SlotDownOptions struct {
	f      *Factory
	ctx    context.Context
	Slot   string
	Reason string
	NoWait bool
}

func newCmdSlotDown(f *Factory, runF func(*SlotDownOptions) error) *cobra.Command {
	opts := &SlotDownOptions{f: f}
	cmd := &cobra.Command{
		Use:   "down SLOT",
		Short: "Stop and remove a slot's containers and network (recorded in the ledger)",
		Args:  exactArgs(1, "one slot name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.Slot = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return slotDownRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Reason, "reason", "", "why, for the ledger")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "fail at once when a release holds the slot")
	return cmd
}

func slotDownRun(opts *SlotDownOptions) error {
	svc, err := slotService(opts.f)
	if err != nil {
		return err
	}
	if err := checkSlot(svc.Cfg, opts.Slot); err != nil {
		return err
	}
	rec, err := svc.Down(opts.ctx, opts.Slot, opts.Reason, opts.NoWait)
	if err != nil {
		return err
	}
	opts.f.IO.Printf("%s is down (recorded as %s)\n", opts.Slot, rec.ID)
	return nil
}

// SlotRollbackOptions are the inputs of `kickoff slot rollback`.
type SlotRollbackOptions struct {
	f      *Factory
	ctx    context.Context
	Slot   string
	To     string
	Reason string
	NoWait bool
	JSON   bool
}

func newCmdSlotRollback(f *Factory, runF func(*SlotRollbackOptions) error) *cobra.Command {
	opts := &SlotRollbackOptions{f: f}
	cmd := &cobra.Command{
		Use:   "rollback SLOT [DEPLOY_ID]",
		Short: "Put a slot back exactly as a recorded deploy left it (the previous one by default)",
		Args:  rangeArgs(1, 2, "a slot and optionally a deploy id (see `kickoff history`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.Slot = cmd.Context(), args[0]
			if len(args) == 2 {
				opts.To = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return slotRollbackRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Reason, "reason", "", "why, for the ledger")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "fail at once when a release holds the slot")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the ledger record as JSON")
	return cmd
}

func slotRollbackRun(opts *SlotRollbackOptions) error {
	f := opts.f
	svc, err := slotService(f)
	if err != nil {
		return err
	}
	if err := checkSlot(svc.Cfg, opts.Slot); err != nil {
		return err
	}
	prog := f.IO.NewProgress(svc.Cfg.AppNames()...)
	svc.Progress = prog.Set
	rec, err := svc.Rollback(opts.ctx, slot.RollbackOptions{Slot: opts.Slot, To: opts.To, Reason: opts.Reason, NoWait: opts.NoWait})
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(rec)
	}
	f.IO.Printf("%s\n", f.IO.Green(fmt.Sprintf("rolled %s back to deploy %s (%s), recorded as %s", opts.Slot, rec.RollbackOf, rec.Kickoff, rec.ID)))
	return nil
}

// SlotClaimOptions are the inputs of `kickoff slot claim`.
type SlotClaimOptions struct {
	f     *Factory
	ctx   context.Context
	Slot  string
	For   string
	Until string
	Note  string
	Force bool
}

func newCmdSlotClaim(f *Factory, runF func(*SlotClaimOptions) error) *cobra.Command {
	opts := &SlotClaimOptions{f: f}
	cmd := &cobra.Command{
		Use:     "claim SLOT --for KICKOFF",
		Short:   "Reserve a slot for a kickoff: releasing another kickoff there needs --force",
		Example: "  kickoff slot claim dev3 --for kickoff-240510-dashboard --until 2024-05-24 --note 'UAT with sales'",
		Args:    exactArgs(1, "one slot name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.Slot = cmd.Context(), args[0]
			if opts.For == "" {
				return FlagErrorf("--for is required: the kickoff the slot is reserved for")
			}
			if !kickoff.IsName(opts.For) {
				return FlagErrorf("--for %q is not a kickoff name (kickoff-YYMMDD-summary)", opts.For)
			}
			if runF != nil {
				return runF(opts)
			}
			return slotClaimRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.For, "for", "", "the kickoff the slot is reserved for (required)")
	cmd.Flags().StringVar(&opts.Until, "until", "", "end of the reservation: a date (YYYY-MM-DD, through that day), a time (RFC 3339) or a duration (48h)")
	cmd.Flags().StringVar(&opts.Note, "note", "", "what the slot is reserved for")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "take over a slot claimed for another kickoff")
	return cmd
}

func slotClaimRun(opts *SlotClaimOptions) error {
	f := opts.f
	svc, err := slotService(f)
	if err != nil {
		return err
	}
	var until time.Time
	if opts.Until != "" {
		loc, _ := svc.Cfg.Location()
		if until, err = parseUntil(opts.Until, f.Now(), loc); err != nil {
			return FlagErrorf("--until %q: %v", opts.Until, err)
		}
	}
	if err := checkSlot(svc.Cfg, opts.Slot); err != nil {
		return err
	}
	rec, err := svc.Claim(opts.ctx, slot.ClaimOptions{Slot: opts.Slot, For: opts.For, Until: until, Note: opts.Note, Force: opts.Force})
	if err != nil {
		return err
	}
	f.IO.Printf("%s claimed for %s by %s\n", opts.Slot, opts.For, rec.Actor)
	return nil
}

// parseUntil reads a date (the reservation lasts through that day), a time or a duration.
func parseUntil(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return d.AddDate(0, 0, 1), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(d), nil
	}
	return time.Time{}, fmt.Errorf("want a date (2024-05-24), a time (2024-05-24T18:00:00+09:00) or a duration (48h)")
}

// SlotFreeOptions are the inputs of `kickoff slot free`.
type SlotFreeOptions struct {
	f    *Factory
	ctx  context.Context
	Slot string
}

func newCmdSlotFree(f *Factory, runF func(*SlotFreeOptions) error) *cobra.Command {
	opts := &SlotFreeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "free SLOT",
		Short: "End a slot's reservation",
		Args:  exactArgs(1, "one slot name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.Slot = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return slotFreeRun(opts)
		},
	}
	return cmd
}

func slotFreeRun(opts *SlotFreeOptions) error {
	svc, err := slotService(opts.f)
	if err != nil {
		return err
	}
	if err := checkSlot(svc.Cfg, opts.Slot); err != nil {
		return err
	}
	if _, err := svc.Free(opts.ctx, opts.Slot); err != nil {
		return err
	}
	opts.f.IO.Printf("%s is free\n", opts.Slot)
	return nil
}
