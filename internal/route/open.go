package route

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kickoffhq/kickoff/internal/awsenv"
	"github.com/kickoffhq/kickoff/internal/config"
)

// Open returns the configured driver and the routes the configuration wants for it; ports
// gives the host ports of the apps' running containers (Options.Ports), nil for the
// configured ones; wrap (may be nil) wraps the transport of the ALB driver's AWS calls.
func Open(ctx context.Context, cfg *config.Config, stateDir string, ports func(slot, app string) []int, wrap awsenv.Wrap) (Driver, []Route, error) {
	switch cfg.Routing.Driver {
	case "alb":
		desired, err := Desired(cfg, Options{BackendHost: InstanceBackendHost, Ports: ports})
		if err != nil {
			return nil, nil, err
		}
		d, err := NewALBFromConfig(ctx, cfg, wrap)
		if err != nil {
			return nil, nil, err
		}
		return d, desired, nil
	case "local", "":
		desired, err := Desired(cfg, Options{Ports: ports})
		if err != nil {
			return nil, nil, err
		}
		return NewLocal(stateDir, cfg.Routing.Mode, cfg.Routing.Domain), desired, nil
	default:
		return nil, nil, fmt.Errorf("routing.driver: %q must be local or alb", cfg.Routing.Driver)
	}
}

// PlanFor opens the configured driver and plans the routes of one slot, or of every slot
// when slot is empty.
func PlanFor(ctx context.Context, cfg *config.Config, stateDir, slot string, ports func(slot, app string) []int, wrap awsenv.Wrap) (Driver, *Plan, error) {
	if slot != "" && !slices.Contains(cfg.Slots, slot) {
		return nil, nil, fmt.Errorf("%q is not a configured slot (slots: %s)", slot, strings.Join(cfg.Slots, ", "))
	}
	d, desired, err := Open(ctx, cfg, stateDir, ports, wrap)
	if err != nil {
		return nil, nil, err
	}
	p, err := d.Plan(ctx, desired)
	if err != nil {
		return nil, nil, err
	}
	if slot != "" {
		p = p.ForSlot(slot)
	}
	return d, p, nil
}

// ApplySlot makes the routes of one slot what the configuration wants (what `kickoff release`
// does after deploying the slot) and returns the plan it applied; ports and wrap as for Open.
func ApplySlot(ctx context.Context, cfg *config.Config, stateDir, slot string, ports func(slot, app string) []int, wrap awsenv.Wrap) (*Plan, error) {
	if slot == "" {
		return nil, fmt.Errorf("route: no slot to apply")
	}
	d, p, err := PlanFor(ctx, cfg, stateDir, slot, ports, wrap)
	if err != nil {
		return nil, fmt.Errorf("route: %w", err)
	}
	return p, d.Apply(ctx, p)
}
