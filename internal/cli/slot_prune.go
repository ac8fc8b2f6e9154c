package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/slot"
)

// SlotPruneOptions are the inputs of `kickoff slot prune`.
type SlotPruneOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Keep   int
	DryRun bool
	JSON   bool
}

func newCmdSlotPrune(f *Factory, runF func(*SlotPruneOptions) error) *cobra.Command {
	opts := &SlotPruneOptions{F: f}
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Remove the apps' images no recent deploy uses, on every slot's Docker host",
		Long: "On each Docker host of the slots, removes the images of the configured apps that no ledger\n" +
			"record of each slot's last --keep deploys references and no container uses (running or\n" +
			"stopped). Other images are never touched. --dry-run lists what would go.",
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if opts.Keep < 1 {
				return FlagErrorf("--keep %d: keep at least the last deploy (1 or more)", opts.Keep)
			}
			if runF != nil {
				return runF(opts)
			}
			return slotPruneRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.Keep, "keep", slot.DefaultPruneKeep, "each slot's newest deploys whose images stay")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "list what would be removed; remove nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print what was removed per host as JSON")
	return cmd
}

func slotPruneRun(opts *SlotPruneOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotService(f)
	if err != nil {
		return err
	}
	hosts, err := svc.Prune(ctx, slot.PruneOptions{Keep: opts.Keep, DryRun: opts.DryRun})
	if err != nil {
		return err
	}
	failed := 0
	for _, h := range hosts {
		failed += countErrors(h)
	}
	if opts.JSON {
		if err := f.IO.JSON(struct {
			DryRun bool              `json:"dry_run"`
			Keep   int               `json:"keep"`
			Hosts  []slot.PrunedHost `json:"hosts"`
		}{opts.DryRun, opts.Keep, hosts}); err != nil {
			return err
		}
	} else {
		verb := "removed"
		if opts.DryRun {
			verb = "would remove"
		}
		for _, h := range hosts {
			where := h.Host
			if where == "" {
				where = "local engine"
			}
			for _, img := range h.Removed {
				line := fmt.Sprintf("%s\t%s\t%s\t%s", where, strings.Join(img.Refs, " "), img.Size, verb)
				if img.Error != "" {
					line = fmt.Sprintf("%s\t%s\t%s\tkept: %s", where, strings.Join(img.Refs, " "), img.Size, firstLine(img.Error))
				}
				fmt.Fprintln(f.IO.Out, line)
			}
			f.IO.Eprintf("%s (%s): %s %d image(s), kept %d\n", where, strings.Join(h.Slots, ", "), verb, len(h.Removed)-countErrors(h), h.Kept+countErrors(h))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d image(s) could not be removed (see above); nothing else was changed", failed)
	}
	return nil
}

func countErrors(h slot.PrunedHost) int {
	n := 0
	for _, img := range h.Removed {
		if img.Error != "" {
			n++
		}
	}
	return n
}

func firstLine(s string) string { l, _, _ := strings.Cut(strings.TrimSpace(s), "\n"); return l }
