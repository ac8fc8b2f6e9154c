package slot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
)

// DefaultSwitchSettle is how long a side-by-side switch waits between moving traffic and
// stopping the old containers: the built-in router reads its table file every second
// (`kickoff serve`), and requests already sent to the old container finish meanwhile.
const DefaultSwitchSettle = 2 * time.Second

// With routing.switch side-by-side, a release replaces a changed app that runs (one running
// container) without a moment in which its route has nothing healthy behind it: the new
// container starts beside the old one on the app's other host port (compose.StartBeside,
// from the slot's compose file), passes the health gate there, the routes move to it, and
// only then the old container stops. A new container that fails its health gate is removed
// and never received a request; the old one kept serving.

// appPort is the host port app is reached on in slot: the one its newest running container
// publishes with a side-by-side switch, else the configured one.
func (s *Service) appPort(ctx context.Context, eng *compose.Engine, slot, app string) int {
	if ports := s.livePorts(ctx, eng, slot, app); len(ports) > 0 {
		return ports[0]
	}
	p, _ := s.Cfg.HostPort(slot, app)
	return p
}

// LivePorts are the host ports app's running containers publish in slot, newest first, with
// a side-by-side switch (nil without one, or when the engine cannot tell): where its routes go.
func (s *Service) LivePorts(ctx context.Context, slot, app string) []int {
	if !s.Cfg.SideBySide() {
		return nil
	}
	eng, err := s.Engine(slot)
	if err != nil {
		return nil
	}
	return s.livePorts(ctx, eng, slot, app)
}

func (s *Service) livePorts(ctx context.Context, eng *compose.Engine, slot, app string) []int {
	if !s.Cfg.SideBySide() {
		return nil
	}
	rs, err := eng.RunningOf(ctx, s.Project(slot), app, s.Cfg.Apps[app].Port)
	if err != nil {
		return nil
	}
	var ports []int
	for _, r := range rs {
		if r.Port > 0 && !slices.Contains(ports, r.Port) {
			ports = append(ports, r.Port)
		}
	}
	return ports
}

// besideCandidates are the changed apps a side-by-side switch replaces, each with its one
// running container; the others (not running, or not changed) go through Compose's up.
func (s *Service) besideCandidates(ctx context.Context, eng *compose.Engine, slot string, apps []AppPlan) map[string]compose.Running {
	if !s.Cfg.SideBySide() || s.Routes == nil {
		return nil
	}
	out := map[string]compose.Running{}
	for _, a := range apps {
		if !a.Changed {
			continue
		}
		rs, err := eng.RunningOf(ctx, s.Project(slot), a.Name, s.Cfg.Apps[a.Name].Port)
		if err != nil || len(rs) != 1 || rs[0].Port == 0 {
			continue
		}
		out[a.Name] = rs[0]
	}
	return out
}

// switchBeside starts the new containers of old's apps beside the old ones, gates them on
// health at their own ports, moves the routes to them and retires the old containers. On a
// failure before the routes moved, the new containers are removed and the old ones serve
// on; it returns the app that failed.
func (s *Service) switchBeside(ctx context.Context, eng *compose.Engine, slot string, apps []AppPlan, old map[string]compose.Running) (string, error) {
	project, path := s.Project(slot), s.composeFile(slot)
	var names []string
	var plans []AppPlan
	for _, a := range apps {
		if _, ok := old[a.Name]; ok {
			names = append(names, a.Name)
			plans = append(plans, a)
			s.progress(a.Name, "starting beside the old one")
		}
	}
	startErr := eng.StartBeside(ctx, project, path, names...)
	ports := map[string]int{}
	var fresh []string
	for _, app := range names {
		rs, err := eng.RunningOf(context.WithoutCancel(ctx), project, app, s.Cfg.Apps[app].Port)
		if err != nil {
			startErr = errors.Join(startErr, err)
			continue
		}
		for _, r := range rs {
			if r.ID != old[app].ID {
				fresh = append(fresh, r.ID)
				if _, seen := ports[app]; !seen && r.Port > 0 {
					ports[app] = r.Port
				}
			}
		}
		if _, ok := ports[app]; !ok && startErr == nil {
			startErr = fmt.Errorf("app %s: the new container publishes no port beside the old one", app)
		}
	}
	removeFresh := func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_ = eng.Retire(rctx, fresh...)
	}
	if startErr != nil {
		removeFresh()
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("start beside the running containers: %w", startErr)
	}
	if app, err := s.waitHealthy(ctx, eng, slot, plans, ports); err != nil {
		removeFresh()
		return app, err
	}
	if err := s.Routes.ApplySlot(ctx, slot, ports); err != nil {
		removeFresh()
		return "", fmt.Errorf("move traffic to the new containers: %w", err)
	}
	settle := s.SwitchSettle
	if settle == 0 {
		settle = DefaultSwitchSettle
	}
	select {
	case <-time.After(settle):
	case <-ctx.Done():
	}
	var retire []string
	for _, app := range names {
		retire = append(retire, old[app].ID)
	}
	// The routes have moved: the old containers go even after Ctrl-C.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := eng.Retire(rctx, retire...); err != nil {
		return "", err
	}
	return "", nil
}
