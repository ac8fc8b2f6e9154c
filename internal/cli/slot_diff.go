package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/term"
)

// SlotDiffOptions are the inputs of `kickoff slot diff`.
type SlotDiffOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	A, B string          // the two slots, in the order the user named them
	JSON bool
}

func newCmdSlotDiff(f *Factory, runF func(*SlotDiffOptions) error) *cobra.Command {
	opts := &SlotDiffOptions{F: f}
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Show what differs between two slots, per app and in Jira issues",
		Long: `Compare what the ledger says is on two slots: per app the kickoff, version, commit
and image, then the Jira issues one slot has and the other doesn't.
Exit 0 whether or not they differ; --json gives the comparison as data.`,
		Example: "  kickoff slot diff dev2 dev3",
		Args:    exactArgs(2, "e.g. `kickoff slot diff dev2 dev3`"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.A, opts.B = cmd.Context(), args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return slotDiffRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the comparison as JSON")
	return cmd
}

func slotDiffRun(opts *SlotDiffOptions) error {
	f, ctx := opts.F, opts.Ctx
	st, cfg, err := openLedger(ctx, f)
	if err != nil {
		return err
	}
	for _, s := range []string{opts.A, opts.B} {
		if err := checkSlot(cfg, s); err != nil {
			return err
		}
	}
	rp, err := st.Replay(ctx)
	if err != nil {
		return err
	}
	states := rp.States(cfg.Slots, f.Now())
	a, _ := ledger.State(states, opts.A)
	b, _ := ledger.State(states, opts.B)
	d := ledger.Diff(a, b)
	io := f.IO
	if opts.JSON {
		return io.JSON(d)
	}
	describe := func(x *ledger.AppState) string {
		if x == nil {
			return "(not deployed)"
		}
		parts := []string{orDash(x.Kickoff)}
		if x.Version != "" {
			parts = append(parts, x.Version)
		}
		parts = append(parts, orDash(gitrepo.ShortID(x.Commit)), x.Image)
		return strings.Join(parts, " ")
	}
	t := io.NewTable("APP", strings.ToUpper(opts.A), strings.ToUpper(opts.B), "")
	for _, ad := range d.Apps {
		mark := "differs"
		if ad.Same {
			mark = "same"
		} else if io.IsStdoutTTY() {
			mark = io.Yellow(mark)
		}
		t.Row(ad.App, term.Clean(describe(ad.A)), term.Clean(describe(ad.B)), mark)
	}
	if len(d.Apps) == 0 {
		io.Eprintf("neither %s nor %s has apps deployed\n", opts.A, opts.B)
	} else if err := t.Render(); err != nil {
		return err
	}
	out := io.Out
	if len(d.OnlyA) > 0 {
		fmt.Fprintf(out, "%s has %s, %s doesn't\n", opts.A, issueList(d.OnlyA), opts.B)
	}
	if len(d.OnlyB) > 0 {
		fmt.Fprintf(out, "%s has %s, %s doesn't\n", opts.B, issueList(d.OnlyB), opts.A)
	}
	if d.Same {
		fmt.Fprintf(out, "%s and %s run the same apps and issues\n", opts.A, opts.B)
	}
	return nil
}

// issueList reads "PROJ-12 and PROJ-15" or "PROJ-1, PROJ-2 and PROJ-3".
func issueList(is []ledger.Issue) string {
	keys := strings.Split(issueKeys(is), ", ")
	if len(keys) == 1 {
		return keys[0]
	}
	return strings.Join(keys[:len(keys)-1], ", ") + " and " + keys[len(keys)-1]
}
