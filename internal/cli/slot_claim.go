package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// SlotClaimOptions are the inputs of `kickoff slot claim`.
type SlotClaimOptions struct {
	F     *Factory        // streams, environment, clock and the services built from them
	Ctx   context.Context // the command's context, set when it runs
	Slot  string
	For   string // the kickoff the slot is reserved for
	Until string // as the user wrote it; read by parseUntil in the configured time zone
	Note  string
	Force bool
	JSON  bool
}

func newCmdSlotClaim(f *Factory, runF func(*SlotClaimOptions) error) *cobra.Command {
	opts := &SlotClaimOptions{F: f}
	cmd := &cobra.Command{
		Use:     "claim SLOT --for KICKOFF",
		Short:   "Reserve a slot for a kickoff: releasing another kickoff there needs --force",
		Example: "  kickoff slot claim dev3 --for kickoff-240510-dashboard --until 2024-05-24 --note 'UAT with sales'",
		Args:    exactArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
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
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the ledger record as JSON")
	return cmd
}

func slotClaimRun(opts *SlotClaimOptions) error {
	f, ctx := opts.F, opts.Ctx
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
	rec, err := svc.Claim(ctx, slot.ClaimOptions{Slot: opts.Slot, For: opts.For, Until: until, Note: opts.Note, Force: opts.Force})
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(rec)
	}
	f.IO.Eprintf("%s claimed for %s by %s\n", opts.Slot, opts.For, rec.Actor)
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
