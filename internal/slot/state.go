package slot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// read reads the slot's state once from the ledger's replay (ledger.Store.Replay): what it
// runs and its claim. Each operation on a slot reads through here once and passes what it
// got along.
func (s *Service) read(ctx context.Context, slot string) (ledger.SlotState, error) {
	rp, err := s.Ledger.Replay(ctx)
	if err != nil {
		return ledger.SlotState{}, fmt.Errorf("read the ledger: %w", err)
	}
	st, _ := ledger.State(rp.States([]string{slot}, s.now()), slot)
	return st, nil
}

// Current is the deploy that defines what the slot runs: its newest successful release or
// rollback, or nil when it is empty (never deployed, or brought down since).
func (s *Service) Current(ctx context.Context, slot string) (*ledger.Record, error) {
	st, err := s.read(ctx, slot)
	return st.Current, err
}

// State is one slot as `slot ls` and `slot status` show it: the ledger's state of the slot
// (the same replay the dashboard shows), its Compose project and host, and each app of its
// current deploy with its URL, container and health.
type State struct {
	ledger.SlotState
	Project string
	Host    string // Docker host; empty is the local engine
	// Apps are the apps of SlotState.Current, in its order, with their health. They shadow
	// the replay's SlotState.Apps, as in the JSON: `slot ls` shows what the current deploy runs.
	Apps []AppState
	// Services are the slot's other services (the team's database, cache...), in name order:
	// a slot whose database is stopped is not healthy, however its apps answer.
	Services []ServiceState
	// Disk is the disk use of the slot's Docker host when asked for (`slot status`; Disk).
	Disk *HostDisk
}

// ServiceState is one service of a slot that is not an app and how its container is doing.
type ServiceState struct {
	Name      string
	Image     string
	Container string
	State     string // the container's state (running, exited, ...); empty: no container
	Health    ledger.Health
	Detail    string
	oneShot   bool
}

// AppState is one app of a slot's current deploy and how it is doing.
type AppState struct {
	ledger.App
	URL       string // on the Docker host, e.g. http://127.0.0.1:20201
	Container string
	Health    ledger.Health
	Detail    string // why it is not healthy, or why it was not checked
}

// MarshalJSON writes the documented `slot ls --json` schema (README): the current deploy's
// id, actor and time, and per app its URL, container and health.
func (st State) MarshalJSON() ([]byte, error) {
	type app struct {
		Name      string        `json:"name"`
		Kickoff   string        `json:"kickoff,omitempty"`
		Ref       string        `json:"ref,omitempty"`
		Commit    string        `json:"commit,omitempty"`
		Image     string        `json:"image"`
		Digest    string        `json:"digest,omitempty"`
		URL       string        `json:"url"`
		Container string        `json:"container,omitempty"`
		Health    ledger.Health `json:"health"`
		Detail    string        `json:"health_detail,omitempty"`
	}
	type service struct {
		Name      string        `json:"name"`
		Image     string        `json:"image,omitempty"`
		Container string        `json:"container,omitempty"`
		State     string        `json:"state,omitempty"`
		Health    ledger.Health `json:"health"`
		Detail    string        `json:"health_detail,omitempty"`
	}
	out := struct {
		Slot       string        `json:"slot"`
		Project    string        `json:"project"`
		Host       string        `json:"host,omitempty"`
		Kickoff    string        `json:"kickoff,omitempty"`
		Version    string        `json:"version,omitempty"`
		RC         string        `json:"rc,omitempty"`
		DeployID   string        `json:"deploy_id,omitempty"`
		DeployedBy string        `json:"deployed_by,omitempty"`
		DeployedAt time.Time     `json:"deployed_at,omitzero"`
		Claim      *ledger.Claim `json:"claim,omitempty"`
		Apps       []app         `json:"apps"`
		Services   []service     `json:"services"`
		Disk       *HostDisk     `json:"disk,omitempty"`
	}{Disk: st.Disk, Slot: st.Slot, Project: st.Project, Host: st.Host, Kickoff: st.Kickoff, Version: st.Version, RC: st.RC, Claim: st.Claim, Apps: []app{}, Services: []service{}}
	if c := st.Current; c != nil {
		out.DeployID, out.DeployedBy, out.DeployedAt = c.ID, c.Actor, c.Time
	}
	for _, a := range st.Apps {
		out.Apps = append(out.Apps, app{Name: a.Name, Kickoff: a.Kickoff, Ref: a.Ref, Commit: a.Commit, Image: a.Image, Digest: a.Digest,
			URL: a.URL, Container: a.Container, Health: a.Health, Detail: a.Detail})
	}
	for _, v := range st.Services {
		out.Services = append(out.Services, service{Name: v.Name, Image: v.Image, Container: v.Container, State: v.State, Health: v.Health, Detail: v.Detail})
	}
	return json.Marshal(out)
}

// States returns every configured slot from one read of the ledger; with live, each app's
// container and health are checked (in parallel, a few seconds at most).
func (s *Service) States(ctx context.Context, live bool) ([]State, error) {
	rp, err := s.Ledger.Replay(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the ledger: %w", err)
	}
	states := rp.States(s.Cfg.Slots, s.now())
	out := make([]State, len(s.Cfg.Slots)) // States lists the configured slots first
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = s.status(ctx, states[i], live)
		}()
	}
	wg.Wait()
	return out, nil
}

// Status returns one slot's state.
func (s *Service) Status(ctx context.Context, slot string, live bool) (State, error) {
	if err := ledger.CheckSlot(s.Cfg.Slots, slot); err != nil {
		return State{}, err
	}
	st, err := s.read(ctx, slot)
	if err != nil {
		return State{}, err
	}
	return s.status(ctx, st, live), nil
}

// Health is the live health of each app and each other service the slot runs: the
// dashboard's probe.
func (s *Service) Health(ctx context.Context, slot string) (map[string]ledger.Health, error) {
	st, err := s.Status(ctx, slot, true)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ledger.Health, len(st.Apps)+len(st.Services))
	for _, a := range st.Apps {
		out[a.Name] = a.Health
	}
	for _, v := range st.Services {
		out[v.Name] = v.Health
	}
	return out, nil
}

// status adds to a slot's ledger state its project, host and apps; with live, each app's
// container and health.
func (s *Service) status(ctx context.Context, ls ledger.SlotState, live bool) State {
	slot := ls.Slot
	st := State{SlotState: ls, Project: s.Project(slot), Host: s.Cfg.Hosts[slot], Apps: []AppState{}, Services: []ServiceState{}}
	if ls.Current == nil {
		return st
	}
	st.Services = s.fileServices(slot)
	eng, engErr := s.Engine(slot)
	host := "127.0.0.1"
	if engErr == nil {
		host = eng.HostName()
	}
	for _, a := range ls.Current.Apps {
		as := AppState{App: a, Health: ledger.NotChecked}
		if p, ok := s.Cfg.HostPort(slot, a.Name); ok {
			as.URL = fmt.Sprintf("http://%s:%d", host, p)
		}
		st.Apps = append(st.Apps, as)
	}
	if !live {
		return st
	}
	if engErr == nil {
		var containers []compose.Container
		containers, engErr = eng.Containers(ctx, st.Project)
		if engErr == nil {
			s.liveHealth(ctx, &st, host, containers)
			return st
		}
	}
	for i := range st.Apps {
		st.Apps[i].Detail = engErr.Error()
	}
	for i := range st.Services {
		st.Services[i].Detail = engErr.Error()
	}
	return st
}

// fileServices lists the slot's services that are not apps from its compose file on this
// machine, not checked yet. Without the file (another machine deployed) the engine's
// containers tell which there are.
func (s *Service) fileServices(slot string) []ServiceState {
	out := []ServiceState{}
	b, err := os.ReadFile(s.composeFile(slot))
	if err != nil {
		return out
	}
	svcs, err := compose.ReadServices(b)
	if err != nil {
		return out
	}
	for _, v := range svcs {
		if _, app := s.Cfg.Apps[v.Name]; !app {
			out = append(out, ServiceState{Name: v.Name, Image: v.Image, Health: ledger.NotChecked, oneShot: v.OneShot})
		}
	}
	return out
}

// serviceHealth is a service's health from its container: running and not failing its
// healthcheck is healthy; a one-shot service that exited with 0 is done, so healthy too.
func serviceHealth(v *ServiceState, c compose.Container, ok bool) {
	switch {
	case !ok:
		v.Health, v.Detail = ledger.Down, "no container"
	case c.State == "exited" && c.ExitCode == 0 && v.oneShot:
		v.Health, v.Detail = ledger.Healthy, "completed"
	case c.State != "running":
		v.Health, v.Detail = ledger.Down, "container "+c.State
		if c.State == "exited" {
			v.Detail = fmt.Sprintf("container exited (%d)", c.ExitCode)
		}
	case c.Health == "unhealthy":
		v.Health, v.Detail = ledger.Unhealthy, "healthcheck failing"
	case c.Health == "starting":
		v.Health, v.Detail = ledger.Unhealthy, "healthcheck starting"
	default:
		v.Health = ledger.Healthy
	}
}

// liveHealth fills in each app's and service's container and health from the project's
// containers, probing the apps in parallel.
func (s *Service) liveHealth(ctx context.Context, st *State, host string, containers []compose.Container) {
	slot := st.Slot
	byService := map[string]compose.Container{}
	for _, c := range containers {
		byService[c.Service] = c
	}
	listed := map[string]bool{}
	for _, v := range st.Services {
		listed[v.Name] = true
	}
	for _, c := range containers {
		if _, app := s.Cfg.Apps[c.Service]; !app && c.Service != "" && !listed[c.Service] {
			listed[c.Service] = true
			st.Services = append(st.Services, ServiceState{Name: c.Service, Image: c.Image})
		}
	}
	sort.Slice(st.Services, func(i, j int) bool { return st.Services[i].Name < st.Services[j].Name })
	for i := range st.Services {
		v := &st.Services[i]
		c, ok := byService[v.Name]
		if ok {
			v.Container, v.State = shortContainerID(c.ID), c.State
		}
		serviceHealth(v, c, ok)
	}
	var wg sync.WaitGroup
	for i := range st.Apps {
		a := &st.Apps[i]
		c, ok := byService[a.Name]
		if !ok || c.State != "running" {
			a.Health, a.Detail = ledger.Down, "no running container"
			if ok {
				a.Container, a.Detail = shortContainerID(c.ID), "container "+c.State
			}
			continue
		}
		a.Container = shortContainerID(c.ID)
		port, _ := s.Cfg.HostPort(slot, a.Name)
		if live := s.LivePorts(ctx, slot, a.Name); len(live) > 0 {
			port = live[0]
			a.URL = fmt.Sprintf("http://%s:%d", host, port)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			if err := s.probe(cctx, host, port, a.Name); err != nil {
				a.Health, a.Detail = ledger.Unhealthy, err.Error()
			} else {
				a.Health = ledger.Healthy
			}
		}()
	}
	wg.Wait()
}

func shortContainerID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// probe makes one health request to app in slot: its health path (default /) on the
// published port, with the configured Host header.
func (s *Service) probe(ctx context.Context, host string, port int, app string) error {
	cfg := s.Cfg.Apps[app]
	if port <= 0 {
		return fmt.Errorf("app %s publishes no port", app)
	}
	path := cfg.Health
	if path == "" {
		path = "/"
	}
	url := fmt.Sprintf("http://%s:%d%s", host, port, path)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if cfg.HealthHost != "" {
		req.Host = cfg.HealthHost
	}
	resp, err := s.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}
