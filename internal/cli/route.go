package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/route"
)

func newCmdRoute(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "route <command>",
		Short: "Plan and apply the routes that make every app of every slot reachable",
		Long: `kickoff routes each app of each slot by host name ({slot}-{app}.{domain}) or by path
({domain}/{slot}/{app}/), through an AWS ALB (routing.driver: alb) or the built-in router
(routing.driver: local, served by kickoff serve).`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdRoutePlan(f, nil), newCmdRouteApply(f, nil))
	return cmd
}

// planRoutes plans the routes of one slot, or of all when slot is empty.
func planRoutes(ctx context.Context, f *Factory, slot string) (route.Driver, *route.Plan, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	if slot != "" && !slices.Contains(cfg.Slots, slot) {
		return nil, nil, FlagErrorf("--slot %s: not a configured slot (slots: %s)", slot, strings.Join(cfg.Slots, ", "))
	}
	repo, err := f.Repo()
	if err != nil {
		return nil, nil, err
	}
	return route.PlanFor(ctx, cfg, repo.StateDir(cfg.StateDir), slot, livePorts(ctx, cfg, repo), awsLog)
}

// printPlan prints a plan the way terraform does: one line per rule, + add, ~ change, - remove.
func printPlan(f *Factory, p *route.Plan) {
	out := f.IO.Out
	if p.Empty() {
		fmt.Fprintf(out, "No changes: the %d routes (%s mode, %s driver) match the configuration.\n", p.Unchanged, p.Mode, p.Driver)
	} else {
		fmt.Fprintf(out, "kickoff route plan (%s mode, %s driver):\n\n", p.Mode, p.Driver)
		for _, c := range p.Changes {
			if c.Kind != route.KindRule {
				sign := map[string]string{route.ActionAdd: f.IO.Green("+"), route.ActionChange: f.IO.Yellow("~"), route.ActionRemove: f.IO.Red("-")}[c.Action]
				fmt.Fprintf(out, "  %s %s %s", sign, c.Kind, c.Name)
				for _, fd := range c.Fields {
					fmt.Fprintf(out, " %s: %s -> %s", fd.Name, orNone(fd.Before), orNone(fd.After))
				}
				fmt.Fprintln(out)
				continue
			}
			switch c.Action {
			case route.ActionAdd:
				fmt.Fprintf(out, "  %s %s %s %s -> %s%s%s\n", f.IO.Green("+"), c.Kind, c.Key(), c.Name, c.After.Backend, strip(c.After), priority(c.After))
			case route.ActionChange:
				fmt.Fprintf(out, "  %s %s %s %s\n", f.IO.Yellow("~"), c.Kind, c.Key(), c.Name)
				for _, fd := range c.Fields {
					fmt.Fprintf(out, "      %s: %s -> %s\n", fd.Name, orNone(fd.Before), orNone(fd.After))
				}
			case route.ActionRemove:
				fmt.Fprintf(out, "  %s %s %s %s\n", f.IO.Red("-"), c.Kind, c.Key(), c.Name)
			}
		}
		add, change, remove := p.Count()
		fmt.Fprintf(out, "\nPlan: %d to add, %d to change, %d to remove.\n", add, change, remove)
	}
	for _, n := range p.Notes {
		fmt.Fprintf(out, "\nNote: %s\n", n)
	}
}

func strip(r *route.Route) string {
	if r.Path != "" && r.StripPrefix {
		return " (prefix stripped)"
	}
	return ""
}

func priority(r *route.Route) string {
	if r.Priority > 0 {
		return fmt.Sprintf(" (priority %d)", r.Priority)
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
