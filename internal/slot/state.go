package slot

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// Current is the deploy that defines what the slot runs: its newest successful release or
// rollback, or nil when it is empty (never deployed, or brought down since).
func (s *Service) Current(ctx context.Context, slot string) (*ledger.Record, error) {
	recs, err := s.Ledger.List(ctx, ledger.Filter{Slot: slot, Limit: -1})
	if err != nil {
		return nil, fmt.Errorf("read the ledger: %w", err)
	}
	for _, r := range recs {
		if r.Outcome != ledger.OutcomeSucceeded {
			continue
		}
		switch r.Action {
		case ledger.ActionRelease, ledger.ActionRollback:
			return &r, nil
		case ledger.ActionDown:
			return nil, nil
		}
	}
	return nil, nil
}

// ActiveClaim is the slot's reservation still in force, or nil.
func (s *Service) ActiveClaim(ctx context.Context, slot string) (*ledger.Claim, error) {
	recs, err := s.Ledger.List(ctx, ledger.Filter{Slot: slot, Limit: -1})
	if err != nil {
		return nil, fmt.Errorf("read the ledger: %w", err)
	}
	for _, r := range recs {
		if r.Outcome != ledger.OutcomeSucceeded {
			continue
		}
		switch r.Action {
		case ledger.ActionFree:
			return nil, nil
		case ledger.ActionClaim:
			if r.Claim == nil || (!r.Claim.Until.IsZero() && !r.Claim.Until.After(s.now())) {
				return nil, nil
			}
			c := *r.Claim
			return &c, nil
		}
	}
	return nil, nil
}

// Health values of an app.
const (
	Healthy    = "healthy"
	Unhealthy  = "unhealthy"
	Down       = "down"        // no running container
	NotChecked = "not checked" // the engine could not be asked
)

// AppState is one app of a slot: what the ledger says runs there, and how it is doing.
type AppState struct {
	Name      string `json:"name"`
	Kickoff   string `json:"kickoff,omitempty"`
	Ref       string `json:"ref,omitempty"`
	Commit    string `json:"commit,omitempty"`
	Image     string `json:"image"`
	Digest    string `json:"digest,omitempty"`
	URL       string `json:"url"` // on the Docker host, e.g. http://127.0.0.1:20201
	Container string `json:"container,omitempty"`
	Health    string `json:"health"`
	Detail    string `json:"health_detail,omitempty"`
}

// State is one slot as `slot ls` and the dashboard show it.
type State struct {
	Slot       string        `json:"slot"`
	Project    string        `json:"project"`
	Host       string        `json:"host,omitempty"` // Docker host; empty is the local engine
	Kickoff    string        `json:"kickoff,omitempty"`
	Version    string        `json:"version,omitempty"`
	RC         string        `json:"rc,omitempty"`
	DeployID   string        `json:"deploy_id,omitempty"`
	DeployedBy string        `json:"deployed_by,omitempty"`
	DeployedAt time.Time     `json:"deployed_at,omitzero"`
	Claim      *ledger.Claim `json:"claim,omitempty"`
	Apps       []AppState    `json:"apps"`
}

// States returns every configured slot; with live, each app's container and health are
// checked (in parallel, a few seconds at most).
func (s *Service) States(ctx context.Context, live bool) ([]State, error) {
	out := make([]State, len(s.Cfg.Slots))
	errs := make([]error, len(s.Cfg.Slots))
	var wg sync.WaitGroup
	for i, name := range s.Cfg.Slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = s.Status(ctx, name, live)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// Status returns one slot's state.
func (s *Service) Status(ctx context.Context, slot string, live bool) (State, error) {
	st := State{Slot: slot, Project: s.Project(slot), Host: s.Cfg.Hosts[slot], Apps: []AppState{}}
	if err := s.CheckSlot(slot); err != nil {
		return st, err
	}
	cur, err := s.Current(ctx, slot)
	if err != nil {
		return st, err
	}
	if st.Claim, err = s.ActiveClaim(ctx, slot); err != nil {
		return st, err
	}
	if cur == nil {
		return st, nil
	}
	st.Kickoff, st.Version, st.RC = cur.Kickoff, cur.Version, cur.RC
	st.DeployID, st.DeployedBy, st.DeployedAt = cur.ID, cur.Actor, cur.Time
	eng, engErr := s.Engine(slot)
	host := "127.0.0.1"
	if engErr == nil {
		host = eng.HostName()
	}
	for _, a := range cur.Apps {
		as := AppState{Name: a.Name, Kickoff: a.Kickoff, Ref: a.Ref, Commit: a.Commit, Image: a.Image, Digest: a.Digest, Health: NotChecked}
		if p, ok := s.Cfg.HostPort(slot, a.Name); ok {
			as.URL = fmt.Sprintf("http://%s:%d", host, p)
		}
		st.Apps = append(st.Apps, as)
	}
	if !live {
		return st, nil
	}
	if engErr != nil {
		for i := range st.Apps {
			st.Apps[i].Detail = engErr.Error()
		}
		return st, nil
	}
	containers, err := eng.Containers(ctx, st.Project)
	if err != nil {
		for i := range st.Apps {
			st.Apps[i].Detail = err.Error()
		}
		return st, nil
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
			a.Health, a.Detail = Down, "no running container"
			if ok {
				a.Container, a.Detail = short(c.ID), "container "+c.State
			}
			continue
		}
		a.Container = short(c.ID)
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			if err := s.probe(cctx, host, slot, a.Name); err != nil {
				a.Health, a.Detail = Unhealthy, err.Error()
			} else {
				a.Health = Healthy
			}
		}()
	}
	wg.Wait()
	return st, nil
}

func short(id string) string {
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
