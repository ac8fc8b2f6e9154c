package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

// RouteApplyOptions are the inputs of `kickoff route apply`.
type RouteApplyOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	Slot string
	JSON bool
}

func newCmdRouteApply(f *Factory, runF func(*RouteApplyOptions) error) *cobra.Command {
	opts := &RouteApplyOptions{F: f}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Make the routes what the slots need",
		Long: `Compute the plan (see kickoff route plan) and apply it: only the calls needed, rule
priorities kept, rules kickoff does not manage left alone. When a change fails, kickoff says
which rules were and were not changed; running apply again finishes the job.`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return routeApplyRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Slot, "slot", "", "only the routes of this slot")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the applied plan as JSON")
	return cmd
}

func routeApplyRun(opts *RouteApplyOptions) error {
	f, ctx := opts.F, opts.Ctx
	d, p, err := planRoutes(ctx, f, opts.Slot)
	if err != nil {
		return err
	}
	if !opts.JSON {
		printPlan(f, p)
	}
	if err := d.Apply(ctx, p); err != nil {
		return fmt.Errorf("route apply: %w", err)
	}
	if opts.JSON {
		return f.IO.JSON(p)
	}
	if !p.Empty() {
		add, change, remove := p.Count()
		fmt.Fprintf(f.IO.Out, "\nApply complete: %d added, %d changed, %d removed.\n", add, change, remove)
	}
	return nil
}
