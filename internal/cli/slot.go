package cli

import (
	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

// newCmdSlot is the parent of the slot commands (ls, status, logs, exec, prune, down,
// rollback, claim, free, diff, config, unlock), each defined in a file of its own.
func newCmdSlot(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "slot <command>",
		Short: "Inspect and manage QA slots (dev1..dev4)",
		Long: "A slot is one Docker Compose project running the same apps, each at the version a\n" +
			"release put there. `kickoff release --slot NAME` deploys; these commands inspect,\n" +
			"reserve, roll back and stop slots.",
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newCmdSlotLs(f, nil),
		newCmdSlotStatus(f, nil),
		newCmdSlotLogs(f, nil),
		newCmdSlotExec(f, nil),
		newCmdSlotPrune(f, nil),
		newCmdSlotDown(f, nil),
		newCmdSlotRollback(f, nil),
		newCmdSlotClaim(f, nil),
		newCmdSlotFree(f, nil),
		newCmdSlotDiff(f, nil),
		newCmdSlotConfig(f, nil),
		newCmdSlotUnlock(f, nil),
	)
	return cmd
}

// claimText is a slot's reservation as `slot ls` and `slot status` show it:
// "KICKOFF (BY until DATE)", or "-" when the slot is not claimed.
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

// paintHealth colours an app's health for the slot tables: green when healthy, red when
// it is not or its container is gone.
func paintHealth(f *Factory, h ledger.Health) string {
	switch h {
	case ledger.Healthy:
		return f.IO.Green(string(h))
	case ledger.Unhealthy, ledger.Down:
		return f.IO.Red(string(h))
	}
	return string(h)
}
