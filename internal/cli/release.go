package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// ReleaseOptions are the inputs of `kickoff release`.
type ReleaseOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Kickoff string          // empty: the checked-out kickoff branch
	Slot    string
	Apps    []string // APP=REF
	DryRun  bool
	NoWait  bool
	Wait    time.Duration
	Force   bool
	JSON    bool
}

func newCmdRelease(f *Factory, runF func(*ReleaseOptions) error) *cobra.Command {
	opts := &ReleaseOptions{F: f}
	cmd := &cobra.Command{
		Use:   "release [KICKOFF] --slot SLOT",
		Short: "Deploy a kickoff to a QA slot",
		Long: "Deploy a kickoff (default: the checked-out kickoff branch) to a QA slot: each app's\n" +
			"image is the kickoff branch head of its repository (apps without that branch keep what\n" +
			"the slot runs, else main), checked in the registry before the slot is touched. The slot\n" +
			"is locked, pulled, brought up and health-checked; a failure puts it back as it was.",
		Example: "  kickoff release kickoff-240510-dashboard --slot dev3\n" +
			"  kickoff release --slot dev2 --app fe=kickoff-240502-search --dry-run",
		Args: maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if len(args) == 1 {
				opts.Kickoff = args[0]
			}
			if opts.Slot == "" {
				return FlagErrorf("--slot is required: which slot to deploy to (e.g. --slot dev3)")
			}
			for _, a := range opts.Apps {
				if k, v, ok := strings.Cut(a, "="); !ok || k == "" || v == "" {
					return FlagErrorf("--app %q: want APP=REF, e.g. --app fe=kickoff-240502-search", a)
				}
			}
			if cmd.Flags().Changed("wait") && opts.Wait <= 0 {
				opts.NoWait = true // --wait 0: do not wait
			}
			if runF != nil {
				return runF(opts)
			}
			return releaseRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Slot, "slot", "", "the slot to deploy to (required)")
	cmd.Flags().StringArrayVar(&opts.Apps, "app", nil, "pin one app to another kickoff, branch, tag or commit: APP=REF (repeatable)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan (per app: from -> to) and change nothing")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "fail at once when another release holds the slot")
	cmd.Flags().DurationVar(&opts.Wait, "wait", slot.DefaultLockWait, "how long to wait for another deployer holding the slot (e.g. 30s, 20m)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "release into a slot claimed for another kickoff")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the plan and the ledger record as JSON")
	return cmd
}

func releaseRun(opts *ReleaseOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, k, err := slotKickoff(f, opts.Slot, opts.Kickoff)
	if err != nil {
		return err
	}
	pins := map[string]string{}
	for _, a := range opts.Apps {
		app, ref, _ := strings.Cut(a, "=")
		pins[app] = ref
	}
	prog := f.IO.NewProgress(svc.Cfg.AppNames()...)
	svc.Progress = prog.Set
	res, err := svc.Release(ctx, slot.ReleaseOptions{
		Slot: opts.Slot, Kickoff: k, Pins: pins,
		DryRun: opts.DryRun, NoWait: opts.NoWait, Wait: opts.Wait, Force: opts.Force,
	})
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(struct {
			DryRun bool           `json:"dry_run"`
			NoOp   bool           `json:"no_op"`
			Plan   *slot.Plan     `json:"plan"`
			Record *ledger.Record `json:"record,omitempty"`
		}{opts.DryRun, res.NoOp, res.Plan, res.Record})
	}
	printReleasePlan(f, res.Plan)
	if opts.DryRun {
		printComposeNotes(f, res.Plan)
	}
	switch {
	case opts.DryRun && res.NoOp:
		f.IO.Eprintf("dry run: %s already runs this; a release would change nothing\n", opts.Slot)
	case opts.DryRun:
		f.IO.Eprintf("dry run: nothing changed\n")
	case res.NoOp:
		f.IO.Eprintf("%s already runs this; nothing changed\n", opts.Slot)
	default:
		msg := fmt.Sprintf("released %s to %s (deploy %s)", k, opts.Slot, res.Record.ID)
		if res.Record.RC != "" {
			msg += ", tagged " + res.Record.RC
		}
		f.IO.Eprintf("%s\n", f.IO.Green(msg))
	}
	return nil
}

// printReleasePlan writes one line per app: from -> to, and why.
func printReleasePlan(f *Factory, p *slot.Plan) {
	head := p.Slot + "  " + p.Kickoff
	if p.Version != "" {
		head += "  v" + p.Version
	}
	fmt.Fprintln(f.IO.Out, head)
	t := f.IO.NewTable("APP", "FROM", "TO", "SOURCE", "CHANGE")
	for _, a := range p.Apps {
		from := "-"
		if a.From != nil {
			from = a.From.Image
		}
		change := "unchanged"
		if a.Changed {
			change = "changed"
		}
		t.Row(a.Name, from, a.To.Image, a.Source, change)
	}
	t.Render()
}
