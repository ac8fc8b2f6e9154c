package cli

import (
	"bufio"
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/term"
)

// SlotUnlockOptions are the inputs of `kickoff slot unlock`.
type SlotUnlockOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	Slot string
	Yes  bool
	JSON bool
}

func newCmdSlotUnlock(f *Factory, runF func(*SlotUnlockOptions) error) *cobra.Command {
	opts := &SlotUnlockOptions{F: f}
	cmd := &cobra.Command{
		Use:   "unlock SLOT",
		Short: "Break a slot's lock left by a deployer that died",
		Long: "A release, rollback or down holds the slot's lock, a container on the slot's Docker\n" +
			"host, for as long as it runs. A deployer that died leaves it until its lease runs out;\n" +
			"unlock shows who held it and breaks it at once. It asks first (on a terminal), or needs --yes.",
		Example: "  kickoff slot unlock dev3\n  kickoff slot unlock dev3 --yes --json",
		Args:    exactArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return slotUnlockRun(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "break the lock without asking")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the slot and who held its lock as JSON")
	return cmd
}

// slotUnlockResult is `kickoff slot unlock --json`.
type slotUnlockResult struct {
	Slot   string      `json:"slot"`
	Locked bool        `json:"locked"` // whether anybody held the lock
	Broken bool        `json:"broken"`
	Holder *unlockHeld `json:"holder,omitempty"`
}

type unlockHeld struct {
	compose.LockInfo
	Expired bool `json:"expired"`
}

func slotUnlockRun(opts *SlotUnlockOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotServiceFor(f, opts.Slot)
	if err != nil {
		return err
	}
	h, err := svc.LockHolder(ctx, opts.Slot)
	if err != nil {
		return err
	}
	res := slotUnlockResult{Slot: opts.Slot, Locked: h != nil}
	if h == nil {
		if opts.JSON {
			return f.IO.JSON(res)
		}
		f.IO.Eprintf("%s is not locked; nothing to do\n", opts.Slot)
		return nil
	}
	res.Holder = &unlockHeld{LockInfo: *h, Expired: h.Expired(f.Now())}
	who := term.Clean(h.String())
	if !opts.Yes {
		if !f.IO.IsStdinTTY() {
			return FlagErrorf("%s is locked by %s: break the lock with --yes (only when that deployer is gone: a running release would go on unlocked); nothing was changed", opts.Slot, who)
		}
		f.IO.Eprintf("%s is locked by %s.\nBreak the lock? Do this only when that deployer is gone. [y/N] ", opts.Slot, who)
		line, _ := bufio.NewReader(f.IO.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			f.IO.Eprintf("Not unlocked; nothing was changed.\n")
			return ErrSilent
		}
	}
	if err := svc.BreakLock(ctx, opts.Slot, h); err != nil {
		return err
	}
	res.Broken = true
	if opts.JSON {
		return f.IO.JSON(res)
	}
	f.IO.Eprintf("%s is unlocked (it was locked by %s)\n", opts.Slot, who)
	return nil
}
