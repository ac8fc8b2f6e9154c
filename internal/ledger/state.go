package ledger

import (
	"slices"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// SlotState is what the ledger says is on a slot: the apps the last successful deploys left
// there, the Jira issues they bring, the claim, and the last thing that happened. States is
// the one replay of records into it; the slots area adds live health on top.
type SlotState struct {
	Slot    string     `json:"slot"`
	Kickoff string     `json:"kickoff,omitempty"` // of the last successful release or rollback
	Version string     `json:"version,omitempty"`
	RC      string     `json:"rc,omitempty"`
	Apps    []AppState `json:"apps"`
	Issues  []Issue    `json:"issues"`
	Claim   *Claim     `json:"claim,omitempty"` // nil when free or the claim expired
	Down    bool       `json:"down,omitempty"`  // `slot down` stopped it
	Last    *Record    `json:"last,omitempty"`  // the newest record of the slot, any outcome
	// LastFailure is the newest failed or rolled-back deploy after the last success.
	LastFailure *Record `json:"last_failure,omitempty"`
	// Current is the deploy that defines what the slot runs: its newest successful release
	// or rollback, nil when empty (never deployed, or brought down since). A release plans
	// from it and a rollback puts it back on failure.
	Current *Record `json:"-"`
}

// AppState is one app on a slot and the deploy that put it there.
type AppState struct {
	App
	Version  string    `json:"version,omitempty"`
	RC       string    `json:"rc,omitempty"`
	Actor    string    `json:"actor"`
	Time     time.Time `json:"time"`
	RecordID string    `json:"record_id"`
	Issues   []Issue   `json:"issues,omitempty"`
}

// States replays records (any order; they are sorted by id) into the state of each slot.
// Every slot of slots appears, in that order, followed by slots only the ledger knows.
// now decides whether claims have expired.
func States(records []Record, slots []string, now time.Time) []SlotState {
	recs := slices.Clone(records)
	slices.SortFunc(recs, func(a, b Record) int { return strings.Compare(a.ID, b.ID) })
	type acc struct {
		st   SlotState
		apps map[string]AppState
	}
	by := map[string]*acc{}
	order := slices.Clone(slots)
	get := func(slot string) *acc {
		a := by[slot]
		if a == nil {
			a = &acc{st: SlotState{Slot: slot}, apps: map[string]AppState{}}
			by[slot] = a
			if !slices.Contains(order, slot) {
				order = append(order, slot)
			}
		}
		return a
	}
	for _, s := range slots {
		get(s)
	}
	for i := range recs {
		r := recs[i]
		a := get(r.Slot)
		a.st.Last = &recs[i]
		if r.Outcome != OutcomeSucceeded {
			if r.Action == ActionRelease || r.Action == ActionRollback {
				a.st.LastFailure = &recs[i]
			}
			continue
		}
		switch r.Action {
		case ActionRelease, ActionRollback:
			a.st.Kickoff, a.st.Version, a.st.RC, a.st.Down, a.st.LastFailure = r.Kickoff, r.Version, r.RC, false, nil
			a.st.Current = &recs[i]
			for _, app := range r.Apps {
				if app.Kickoff == "" {
					app.Kickoff = r.Kickoff
				}
				prev, had := a.apps[app.Name]
				if had && prev.Image == app.Image && prev.Digest == app.Digest && prev.Commit == app.Commit {
					continue // unchanged: it is still the earlier deploy's
				}
				as := AppState{App: app, Actor: r.Actor, Time: r.Time, RecordID: r.ID}
				if app.Kickoff == r.Kickoff { // an app kept from another kickoff has not its version or issues
					as.Version, as.RC, as.Issues = r.Version, r.RC, r.Issues
				}
				a.apps[app.Name] = as
			}
		case ActionDown:
			a.st.Down, a.st.Kickoff, a.st.Version, a.st.RC, a.st.Current = true, "", "", "", nil
			a.apps = map[string]AppState{}
		case ActionClaim:
			a.st.Claim = r.Claim
		case ActionFree:
			a.st.Claim = nil
		}
	}
	out := make([]SlotState, 0, len(order))
	for _, s := range order {
		a := by[s]
		st := a.st
		if st.Claim != nil && !st.Claim.Until.IsZero() && !now.Before(st.Claim.Until) {
			st.Claim = nil // a claim until T is over at T
		}
		names := make([]string, 0, len(a.apps))
		for n := range a.apps {
			names = append(names, n)
		}
		slices.Sort(names)
		st.Apps = make([]AppState, 0, len(names))
		st.Issues = []Issue{}
		seen := map[string]bool{}
		for _, n := range names {
			app := a.apps[n]
			st.Apps = append(st.Apps, app)
			for _, is := range app.Issues {
				if !seen[is.Key] {
					seen[is.Key] = true
					st.Issues = append(st.Issues, is)
				}
			}
		}
		slices.SortFunc(st.Issues, func(x, y Issue) int { return kickoff.CompareJiraKeys(x.Key, y.Key) })
		out = append(out, st)
	}
	return out
}

// State returns one slot's state from States' result.
func State(states []SlotState, slot string) (SlotState, bool) {
	i := slices.IndexFunc(states, func(s SlotState) bool { return s.Slot == slot })
	if i < 0 {
		return SlotState{}, false
	}
	return states[i], true
}
