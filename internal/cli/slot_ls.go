package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/term"
)

// SlotLsOptions are the inputs of `kickoff slot ls`.
type SlotLsOptions struct {
	f        *Factory
	ctx      context.Context
	JSON     bool
	NoHealth bool
}

func newCmdSlotLs(f *Factory, runF func(*SlotLsOptions) error) *cobra.Command {
	opts := &SlotLsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List every slot: per app its kickoff, version, commit, image, health, who deployed it and when",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx = cmd.Context()
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
	svc, err := slotService(opts.f)
	if err != nil {
		return err
	}
	states, err := svc.States(opts.ctx, !opts.NoHealth)
	if err != nil {
		return err
	}
	if opts.JSON {
		return opts.f.IO.JSON(states)
	}
	io := opts.f.IO
	t := io.NewTable("SLOT", "APP", "KICKOFF", "VERSION", "COMMIT", "IMAGE", "HEALTH", "DEPLOYED", "CLAIM")
	for _, st := range states {
		claim := claimText(st.Claim)
		if len(st.Apps) == 0 {
			t.Row(st.Slot, "-", "-", "-", "-", "-", "-", "empty", claim)
			continue
		}
		deployed := fmt.Sprintf("%s %s", st.Current.Actor, term.Ago(st.Current.Time, opts.f.Now()))
		for _, a := range st.Apps {
			t.Row(st.Slot, a.Name, a.Kickoff, orDash(st.Version), orDash(shortSHA(a.Commit)), a.Image, paintHealth(opts.f, a.Health), deployed, claim)
		}
	}
	return t.Render()
}

func claimText(c *ledger.Claim) string {
	if c == nil {
		return "-"
	}
	s := c.For + " (" + c.By
	if !c.Until.IsZero() {
		s += " until " + c.Until.UTC().Format("2006-01-02")
	}
	return s + ")"
}

func paintHealth(f *Factory, h ledger.Health) string {
	switch h {
	case ledger.Healthy:
		return f.IO.Green(string(h))
	case ledger.Unhealthy, ledger.Down:
		return f.IO.Red(string(h))
	}
	return string(h)
}

// SlotStatusOptions are the inputs of `kickoff slot status`.
type SlotStatusOptions struct {
	f    *Factory
	ctx  context.Context
	Slot string
	JSON bool
}

func newCmdSlotStatus(f *Factory, runF func(*SlotStatusOptions) error) *cobra.Command {
	opts := &SlotStatusOptions{f: f}
	cmd := &cobra.Command{
		Use:   "status SLOT",
		Short: "Show one slot: what runs there, its containers and live health",
		Args:  exactArgs(1, "one slot name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.Slot = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return slotStatusRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the slot as JSON")
	return cmd
}

func slotStatusRun(opts *SlotStatusOptions) error {
	svc, err := slotService(opts.f)
	if err != nil {
		return err
	}
	if err := checkSlot(svc.Cfg, opts.Slot); err != nil {
		return err
	}
	st, err := svc.Status(opts.ctx, opts.Slot, true)
	if err != nil {
		return err
	}
	if opts.JSON {
		return opts.f.IO.JSON(st)
	}
	out := opts.f.IO.Out
	fmt.Fprintf(out, "slot:     %s (project %s)\n", st.Slot, st.Project)
	if st.Claim != nil {
		fmt.Fprintf(out, "claimed:  %s\n", claimText(st.Claim))
	}
	if len(st.Apps) == 0 {
		fmt.Fprintln(out, "runs:     nothing")
		return nil
	}
	fmt.Fprintf(out, "kickoff:  %s\n", st.Kickoff)
	if st.Version != "" {
		fmt.Fprintf(out, "version:  %s %s\n", st.Version, st.RC)
	}
	fmt.Fprintf(out, "deployed: %s by %s (%s)\n", st.Current.Time.UTC().Format(time.RFC3339), st.Current.Actor, st.Current.ID)
	t := opts.f.IO.NewTable("APP", "KICKOFF", "COMMIT", "IMAGE", "URL", "CONTAINER", "HEALTH", "DETAIL")
	for _, a := range st.Apps {
		t.Row(a.Name, a.Kickoff, orDash(shortSHA(a.Commit)), a.Image, a.URL, orDash(a.Container), paintHealth(opts.f, a.Health), orDash(a.Detail))
	}
	return t.Render()
}
