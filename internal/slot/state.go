package slot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// read reads the slot's records once and replays them (ledger.States): what it runs, its
// claim, and the records a rollback chooses from. Each operation on a slot reads through here
// once and passes what it got along.
func (s *Service) read(ctx context.Context, slot string) (ledger.SlotState, []ledger.Record, error) {
	recs, err := s.Ledger.List(ctx, ledger.Filter{Slot: slot, Limit: -1})
	if err != nil {
		return ledger.SlotState{}, nil, fmt.Errorf("read the ledger: %w", err)
	}
	st, _ := ledger.State(ledger.States(recs, []string{slot}, s.now()), slot)
	return st, recs, nil
}

// Current is the deploy that defines what the slot runs: its newest successful release or
// rollback, or nil when it is empty (never deployed, or brought down since).
func (s *Service) Current(ctx context.Context, slot string) (*ledger.Record, error) {
	st, _, err := s.read(ctx, slot)
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
	}{Slot: st.Slot, Project: st.Project, Host: st.Host, Kickoff: st.Kickoff, Version: st.Version, RC: st.RC, Claim: st.Claim, Apps: []app{}}
	if c := st.Current; c != nil {
		out.DeployID, out.DeployedBy, out.DeployedAt = c.ID, c.Actor, c.Time
	}
	for _, a := range st.Apps {
		out.Apps = append(out.Apps, app{Name: a.Name, Kickoff: a.Kickoff, Ref: a.Ref, Commit: a.Commit, Image: a.Image, Digest: a.Digest,
			URL: a.URL, Container: a.Container, Health: a.Health, Detail: a.Detail})
	}
	return json.Marshal(out)
}

// States returns every configured slot from one read of the ledger; with live, each app's
// container and health are checked (in parallel, a few seconds at most).
func (s *Service) States(ctx context.Context, live bool) ([]State, error) {
	recs, err := s.Ledger.List(ctx, ledger.Filter{Limit: -1})
	if err != nil {
		return nil, fmt.Errorf("read the ledger: %w", err)
	}
	states := ledger.States(recs, s.Cfg.Slots, s.now())
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
	st, _, err := s.read(ctx, slot)
	if err != nil {
		return State{}, err
	}
	return s.status(ctx, st, live), nil
}

// Health is the live health of each app the slot runs: the dashboard's probe.
func (s *Service) Health(ctx context.Context, slot string) (map[string]ledger.Health, error) {
	st, err := s.Status(ctx, slot, true)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ledger.Health, len(st.Apps))
	for _, a := range st.Apps {
		out[a.Name] = a.Health
	}
	return out, nil
}

// status adds to a slot's ledger state its project, host and apps; with live, each app's
// container and health.
func (s *Service) status(ctx context.Context, ls ledger.SlotState, live bool) State {
	slot := ls.Slot
	st := State{SlotState: ls, Project: s.Project(slot), Host: s.Cfg.Hosts[slot], Apps: []AppState{}}
	if ls.Current == nil {
		return st
	}
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
	if engErr != nil {
		for i := range st.Apps {
			st.Apps[i].Detail = engErr.Error()
		}
		return st
	}
	containers, err := eng.Containers(ctx, st.Project)
	if err != nil {
		for i := range st.Apps {
			st.Apps[i].Detail = err.Error()
		}
		return st
	}
	byService := map[string]compose.Container{}
	for _, c := range containers {
		byService[c.Service] = c
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
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			if err := s.probe(cctx, host, slot, a.Name); err != nil {
				a.Health, a.Detail = ledger.Unhealthy, err.Error()
			} else {
				a.Health = ledger.Healthy
			}
		}()
	}
	wg.Wait()
	return st
}

func shortContainerID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// probe makes one health request to app in slot: its health path (default /) on the
// published port, with the configured Host header.
func (s *Service) probe(ctx context.Context, host, slot, app string) error {
	cfg := s.Cfg.Apps[app]
	port, ok := s.Cfg.HostPort(slot, app)
	if !ok {
		return fmt.Errorf("app %s has no port in slot %s", app, slot)
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
