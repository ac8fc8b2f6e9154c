package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/term"
)

// SlotLsOptions are the inputs of `kickoff slot ls`.
type SlotLsOptions struct {
	F        *Factory        // streams, environment, clock and the services built from them
	Ctx      context.Context // the command's context, set when it runs
	JSON     bool
	NoHealth bool
}

func newCmdSlotLs(f *Factory, runF func(*SlotLsOptions) error) *cobra.Command {
	opts := &SlotLsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List every slot: per app its kickoff, version, commit, image, health, who deployed it and when",
		Args:  noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return slotLsRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the slots as JSON")
	cmd.Flags().BoolVar(&opts.NoHealth, "no-health", false, "skip the live container and health checks")
	return cmd
}

func slotLsRun(opts *SlotLsOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotService(f)
	if err != nil {
		return err
	}
	states, err := svc.States(ctx, !opts.NoHealth)
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(states)
	}
	t := f.IO.NewTable("SLOT", "APP", "KICKOFF", "VERSION", "COMMIT", "IMAGE", "HEALTH", "DEPLOYED", "CLAIM").Shrink("CLAIM")
	for _, st := range states {
		claim := claimText(st.Claim)
		if len(st.Apps) == 0 {
			t.Row(st.Slot, "-", "-", "-", "-", "-", "-", "empty", term.Clean(claim))
			continue
		}
		deployed := fmt.Sprintf("%s %s", st.Current.Actor, term.Ago(st.Current.Time, f.Now()))
		for _, a := range st.Apps {
			t.Row(st.Slot, a.Name, term.Clean(a.Kickoff), orDash(term.Clean(st.Version)), orDash(term.Clean(gitrepo.ShortID(a.Commit))), term.Clean(a.Image), paintHealth(f, a.Health), term.Clean(deployed), term.Clean(claim))
		}
		// The slot's other services (a database) by name, with no kickoff of their own.
		for _, v := range st.Services {
			t.Row(st.Slot, v.Name, "-", "-", "-", orDash(term.Clean(v.Image)), paintHealth(f, v.Health), term.Clean(deployed), term.Clean(claim))
		}
	}
	return t.Render()
}
