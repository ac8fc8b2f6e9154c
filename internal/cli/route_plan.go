package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// RoutePlanOptions are the inputs of `kickoff route plan`.
type RoutePlanOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	Slot string
	JSON bool
}

func newCmdRoutePlan(f *Factory, runF func(*RoutePlanOptions) error) *cobra.Command {
	opts := &RoutePlanOptions{F: f}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show how the routes that exist differ from the routes the slots need",
		Long: `Compare the routes the configured slots and apps need with the routes that exist
and print the difference per rule, like terraform plan: + add, ~ change, - remove.
Nothing is changed; kickoff route apply makes it so.`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return routePlanRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Slot, "slot", "", "only the routes of this slot")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON")
	return cmd
}

func routePlanRun(opts *RoutePlanOptions) error {
	f, ctx := opts.F, opts.Ctx
	_, p, err := planRoutes(ctx, f, opts.Slot)
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(p)
	}
	printPlan(f, p)
	return nil
}
