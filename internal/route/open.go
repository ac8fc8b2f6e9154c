package route

import (
	"context"
	"fmt"
	"slices"

	"github.com/kickoffhq/kickoff/internal/config"
)

// Open returns the configured driver and the routes the configuration wants for it.
func Open(ctx context.Context, cfg *config.Config, stateDir string) (Driver, []Route, error) {
	switch cfg.Routing.Driver {
	case "alb":
		desired, err := Desired(cfg, Options{BackendHost: InstanceBackendHost})
		if err != nil {
			return nil, nil, err
		}
		d, err := NewALBFromConfig(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		return d, desired, nil
	case "local", "":
		desired, err := Desired(cfg, Options{})
		if err != nil {
			return nil, nil, err
		}
		return NewLocal(stateDir, cfg.Routing.Mode, cfg.Routing.Domain), desired, nil
	default:
		return nil, nil, fmt.Errorf("routing.driver: %q must be local or alb", cfg.Routing.Driver)
	}
}

// ApplySlot makes the routes of one slot what the configuration wants (what `kickoff release`
// does after deploying the slot) and returns the plan it applied.
func ApplySlot(ctx context.Context, cfg *config.Config, stateDir, slot string) (*Plan, error) {
	if !slices.Contains(cfg.Slots, slot) {
		return nil, fmt.Errorf("route: %q is not a configured slot", slot)
	}
	d, desired, err := Open(ctx, cfg, stateDir)
	if err != nil {
		return nil, err
	}
	p, err := d.Plan(ctx, desired)
	if err != nil {
		return nil, err
	}
	p = p.ForSlot(slot)
	return p, d.Apply(ctx, p)
}
