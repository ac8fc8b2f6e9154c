package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/term"
)

// HistoryOptions are the inputs of `kickoff history`.
type HistoryOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Slot    string
	Kickoff string
	App     string
	Limit   int
	JSON    bool
}

func newCmdHistory(f *Factory, runF func(*HistoryOptions) error) *cobra.Command {
	opts := &HistoryOptions{F: f}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List deploys, rollbacks, claims and frees from the ledger, newest first",
		Long: `Print the deploy ledger, newest first: every release, rollback, claim, free and
slot down, with who did it, the kickoff and version, and the outcome.
--json prints the records as they are stored (schema in README.md).`,
		Example: "  kickoff history --slot dev3 -n 10\n  kickoff history --kickoff kickoff-240510-dashboard --json",
		Args:    noArgs("choose records with --slot, --kickoff or --app"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if opts.Limit < 1 {
				return FlagErrorf("-n: %d is not a positive number of records", opts.Limit)
			}
			if runF != nil {
				return runF(opts)
			}
			return historyRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Slot, "slot", "", "only records of this slot")
	cmd.Flags().StringVar(&opts.Kickoff, "kickoff", "", "only records deploying this kickoff")
	cmd.Flags().StringVar(&opts.App, "app", "", "only records that deployed this app")
	cmd.Flags().IntVarP(&opts.Limit, "limit", "n", ledger.DefaultLimit, "at most this many records")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the records as JSON")
	return cmd
}

func historyRun(opts *HistoryOptions) error {
	f, ctx := opts.F, opts.Ctx
	st, cfg, err := openLedger(ctx, f)
	if err != nil {
		return err
	}
	if opts.Slot != "" {
		if err := checkSlot(cfg, opts.Slot); err != nil {
			return err
		}
	}
	recs, err := st.List(ctx, ledger.Filter{Slot: opts.Slot, Kickoff: opts.Kickoff, App: opts.App, Limit: opts.Limit})
	if err != nil {
		return err
	}
	io := f.IO
	if opts.JSON {
		return io.JSON(recs)
	}
	if len(recs) == 0 {
		io.Eprintf("no records in the ledger match\n")
		return nil
	}
	now := f.Now()
	t := io.NewTable("TIME", "SLOT", "ACTION", "OUTCOME", "KICKOFF", "VERSION", "ACTOR", "ID")
	for _, r := range recs {
		when := r.Time.UTC().Format(time.RFC3339)
		outcome := r.Outcome
		if io.IsStdoutTTY() {
			when = r.Time.Local().Format("2006-01-02 15:04") + " (" + term.Ago(r.Time, now) + ")"
			switch r.Outcome {
			case ledger.OutcomeSucceeded:
				outcome = io.Green(outcome)
			default:
				outcome = io.Red(outcome)
			}
		}
		kickoff := r.Kickoff
		if r.Claim != nil && kickoff == "" {
			kickoff = r.Claim.For
		}
		// Records come from whoever can write the ledger: their text is cleaned (term.Clean).
		t.Row(when, r.Slot, term.Clean(r.Action), outcome, orDash(term.Clean(kickoff)), orDash(term.Clean(r.Version)), orDash(term.Clean(r.Actor)), term.Clean(r.ID))
	}
	return t.Render()
}
