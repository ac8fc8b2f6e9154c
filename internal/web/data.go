package web

import (
	"context"
	"slices"
	"sync"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

// SlotView is a slot as the board shows it: the ledger's state plus live health.
type SlotView struct {
	ledger.SlotState
	// Health is app or other service (the team's database) -> healthy, unhealthy, unknown
	// (ledger.Health.Summary).
	Health map[string]string `json:"health"`
}

// Services are the slot's services that are not apps (a database), in name order: the
// names Health has beyond the apps.
func (v SlotView) Services() []string {
	var out []string
	for name := range v.Health {
		if !slices.ContainsFunc(v.Apps, func(a ledger.AppState) bool { return a.Name == name }) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// KickoffView is a live kickoff and the slots running it.
type KickoffView struct {
	KickoffInfo
	Slots []string `json:"slots"`
}

// KickoffsView is the kickoffs page's data.
type KickoffsView struct {
	Kickoffs      []KickoffView `json:"kickoffs"`
	KickoffsError string        `json:"kickoffs_error,omitempty"`
	Matrix        *Heatmap      `json:"matrix"`
	MatrixError   string        `json:"matrix_error,omitempty"`
	// Repos are the platform's repositories the heat map switches between, and Repo the one
	// shown (in a platform of several).
	Repos []string `json:"repos,omitempty"`
	Repo  string   `json:"repo,omitempty"`
}

// HistoryView is the history page's data.
type HistoryView struct {
	Filter  ledger.Filter   `json:"-"`
	Records []ledger.Record `json:"records"`
	Slots   []string        `json:"-"`
	Apps    []string        `json:"-"`
	Kicks   []string        `json:"-"`
}

// states reads the ledger's replay: the configured slots, then those only the ledger knows.
func (s *Server) states(ctx context.Context) ([]ledger.SlotState, error) {
	rp, err := s.Ledger.Replay(ctx)
	if err != nil {
		return nil, err
	}
	return rp.States(s.Slots, s.now()), nil
}

// slotViews adds live health to each state, probing slots in parallel.
func (s *Server) slotViews(ctx context.Context, states []ledger.SlotState) []SlotView {
	out := make([]SlotView, len(states))
	var wg sync.WaitGroup
	for i, st := range states {
		out[i] = SlotView{SlotState: st, Health: map[string]string{}}
		if s.Health == nil || len(st.Apps) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for app, h := range s.Health(ctx, st.Slot) {
				out[i].Health[app] = h.Summary()
			}
		}()
	}
	wg.Wait()
	for i := range out {
		for _, a := range out[i].Apps {
			if out[i].Health[a.Name] == "" {
				out[i].Health[a.Name] = ledger.NotChecked.Summary()
			}
		}
	}
	return out
}

func (s *Server) history(ctx context.Context, f ledger.Filter) (HistoryView, error) {
	if f.Limit == 0 {
		f.Limit = ledger.DefaultLimit
	}
	recs, err := s.Ledger.List(ctx, f)
	if err != nil {
		return HistoryView{}, err
	}
	if recs == nil {
		recs = []ledger.Record{}
	}
	v := HistoryView{Filter: f, Records: recs, Slots: s.Slots}
	// Choices for the filter form: what the last records mention.
	all, err := s.Ledger.List(ctx, ledger.Filter{})
	if err == nil {
		for _, r := range all {
			if r.Kickoff != "" && !slices.Contains(v.Kicks, r.Kickoff) {
				v.Kicks = append(v.Kicks, r.Kickoff)
			}
			for _, a := range r.Apps {
				if !slices.Contains(v.Apps, a.Name) {
					v.Apps = append(v.Apps, a.Name)
				}
			}
		}
	}
	slices.Sort(v.Apps)
	slices.Sort(v.Kicks)
	return v, nil
}

func (s *Server) kickoffs(ctx context.Context, states []ledger.SlotState) KickoffsView {
	return s.kickoffsIn(ctx, states, "")
}

// kickoffsIn is the kickoffs page with the heat map of repo ("" this repository's).
func (s *Server) kickoffsIn(ctx context.Context, states []ledger.SlotState, repo string) KickoffsView {
	var v KickoffsView
	v.Repos, v.Repo = s.repoSwitch(repo)
	var infos []KickoffInfo
	if s.Kickoffs != nil {
		ks, err := s.Kickoffs(ctx)
		if err != nil {
			v.KickoffsError = err.Error()
		}
		infos = ks
	}
	// Kickoffs deployed on slots are shown even when the list cannot tell about them.
	for _, st := range states {
		for _, k := range deployedKickoffs(st) {
			if !slices.ContainsFunc(infos, func(i KickoffInfo) bool { return i.Name == k }) {
				infos = append(infos, KickoffInfo{Name: k, Version: st.Version})
			}
		}
	}
	v.Kickoffs = []KickoffView{}
	for _, k := range infos {
		kv := KickoffView{KickoffInfo: k, Slots: []string{}}
		for _, st := range states {
			if slices.Contains(deployedKickoffs(st), k.Name) {
				kv.Slots = append(kv.Slots, st.Slot)
			}
			for _, a := range st.Apps { // no reserved version known: the deployed one
				if kv.Version == "" && a.Kickoff == k.Name {
					kv.Version = a.Version
				}
			}
		}
		v.Kickoffs = append(v.Kickoffs, kv)
	}
	if s.hasMatrix() {
		m, err := s.matrixOf(ctx, repo)
		if err != nil {
			v.MatrixError = err.Error()
		}
		v.Matrix = m
	}
	return v
}

// deployedKickoffs are the kickoffs a slot's apps come from.
func deployedKickoffs(st ledger.SlotState) []string {
	var ks []string
	for _, a := range st.Apps {
		if a.Kickoff != "" && !slices.Contains(ks, a.Kickoff) {
			ks = append(ks, a.Kickoff)
		}
	}
	return ks
}

// pair finds the heat-map cell of a and b.
func (h *Heatmap) pair(a, b string) (HeatCell, bool) {
	if h == nil {
		return HeatCell{}, false
	}
	for _, row := range h.Rows {
		for _, c := range row {
			if c.A == a && c.B == b {
				return c, true
			}
		}
	}
	return HeatCell{}, false
}
