package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// SlotConfigOptions are the inputs of `kickoff slot config`.
type SlotConfigOptions struct {
	F           *Factory        // streams, environment, clock and the services built from them
	Ctx         context.Context // the command's context, set when it runs
	Slot        string
	Kickoff     string // empty: the checked-out branch
	Offline     bool
	ShowSecrets bool
	JSON        bool
}

func newCmdSlotConfig(f *Factory, runF func(*SlotConfigOptions) error) *cobra.Command {
	opts := &SlotConfigOptions{F: f}
	cmd := &cobra.Command{
		Use:   "config SLOT [KICKOFF]",
		Short: "Print the compose model a release of a kickoff would run in a slot",
		Long: `Print the compose model a release of KICKOFF (default: the checked-out branch) would
run in SLOT, like ` + "`docker compose config`" + `: the team's compose file as Compose loads it, with
what kickoff changes for the slot listed on top as comments. Changes nothing.

Secret values are masked: environment values whose name looks secret (PASSWORD, TOKEN, KEY,
SECRET, ...), every value from an env_file, and every value holding a value of the .env (or
compose_env_files). --show-secrets shows them. --offline asks no registry: apps are
referenced by tag instead of digest.`,
		Example: "  kickoff slot config dev3\n  kickoff slot config dev3 kickoff-240510-dashboard --offline",
		Args:    rangeArgs(1, 2, "e.g. `kickoff slot config dev3 kickoff-240510-dashboard`"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
			if len(args) > 1 {
				opts.Kickoff = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return slotConfigRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "ask no registry; reference app images by tag")
	cmd.Flags().BoolVar(&opts.ShowSecrets, "show-secrets", false, "show secret values instead of masking them")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the slot, the notes and the model as JSON")
	return cmd
}

func slotConfigRun(opts *SlotConfigOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, k, err := slotKickoff(f, opts.Slot, opts.Kickoff)
	if err != nil {
		return err
	}
	plan, err := svc.Preview(ctx, slot.ReleaseOptions{Slot: opts.Slot, Kickoff: k, Offline: opts.Offline})
	if err != nil {
		return err
	}
	model := plan.Model.Project
	if !opts.ShowSecrets {
		model = plan.Model.Masked()
	}
	if opts.JSON {
		b, err := model.MarshalJSON()
		if err != nil {
			return err
		}
		return f.IO.JSON(struct {
			Slot    string          `json:"slot"`
			Project string          `json:"project"`
			Kickoff string          `json:"kickoff"`
			Offline bool            `json:"offline"`
			Notes   []compose.Note  `json:"notes"`
			Model   json.RawMessage `json:"model"`
		}{plan.Slot, plan.Project, k, opts.Offline, append([]compose.Note{}, plan.Notes...), b})
	}
	b, err := plan.Model.Marshal(model)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IO.Out, "# %s in %s (project %s)\n", k, plan.Slot, plan.Project)
	for _, n := range plan.Notes {
		fmt.Fprintf(f.IO.Out, "# %s\n", n)
	}
	_, err = f.IO.Out.Write(b)
	return err
}

// printComposeNotes lists what kickoff changes in the team's compose file for the slot
// (`release --dry-run`).
func printComposeNotes(f *Factory, p *slot.Plan) {
	if len(p.Notes) == 0 {
		return
	}
	fmt.Fprintf(f.IO.Out, "compose file, as %s runs it:\n", p.Slot)
	for _, n := range p.Notes {
		fmt.Fprintf(f.IO.Out, "  %s\n", n)
	}
}
