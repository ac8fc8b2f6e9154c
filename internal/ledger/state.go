package ledger

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
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
	var p Replay
	for _, r := range recs {
		p.Add(r)
	}
	return p.States(slots, now)
}

// Replay is the one fold of records, in id order, into what each slot runs. It is data: the
// s3 ledger keeps one in its index object, so a reader continues it with the few records
// written since instead of reading every record again.
type Replay struct {
	Through string               `json:"through,omitempty"` // the newest record id folded in
	Order   []string             `json:"order,omitempty"`   // slots in the order of their first record
	Slots   map[string]*SlotFold `json:"slots,omitempty"`
}

// SlotFold is one slot's part of a Replay.
type SlotFold struct {
	Kickoff     string              `json:"kickoff,omitempty"`
	Version     string              `json:"version,omitempty"`
	RC          string              `json:"rc,omitempty"`
	Down        bool                `json:"down,omitempty"`
	Claim       *Claim              `json:"claim,omitempty"` // as recorded; States drops it once expired
	Last        *Record             `json:"last,omitempty"`
	LastFailure *Record             `json:"last_failure,omitempty"`
	Current     *Record             `json:"current,omitempty"`
	Apps        map[string]AppState `json:"apps,omitempty"`
	// Recent are the ids of the slot's newest records, newest first (at most DefaultLimit),
	// and Count how many records the slot has in all: a listing of one slot reads only those.
	Recent []string `json:"recent,omitempty"`
	Count  int      `json:"count,omitempty"`
}

// Add folds r in. Records are added in id order; one older than Through (a late writer) is
// still applied on top, as the newest.
func (p *Replay) Add(r Record) {
	if p.Slots == nil {
		p.Slots = map[string]*SlotFold{}
	}
	a := p.Slots[r.Slot]
	if a == nil {
		a = &SlotFold{}
		p.Slots[r.Slot] = a
		p.Order = append(p.Order, r.Slot)
	}
	if r.ID > p.Through {
		p.Through = r.ID
	}
	a.Count++
	a.Recent = append([]string{r.ID}, a.Recent[:min(len(a.Recent), DefaultLimit-1)]...)
	rp := &r
	a.Last = rp
	if r.Outcome != OutcomeSucceeded {
		if r.Action == ActionRelease || r.Action == ActionRollback {
			a.LastFailure = rp
		}
		return
	}
	switch r.Action {
	case ActionRelease, ActionRollback:
		a.Kickoff, a.Version, a.RC, a.Down, a.LastFailure = r.Kickoff, r.Version, r.RC, false, nil
		a.Current = rp
		if a.Apps == nil {
			a.Apps = map[string]AppState{}
		}
		for _, app := range r.Apps {
			if app.Kickoff == "" {
				app.Kickoff = r.Kickoff
			}
			prev, had := a.Apps[app.Name]
			if had && prev.Image == app.Image && prev.Digest == app.Digest && prev.Commit == app.Commit {
				continue // unchanged: it is still the earlier deploy's
			}
			as := AppState{App: app, Actor: r.Actor, Time: r.Time, RecordID: r.ID}
			if app.Kickoff == r.Kickoff { // an app kept from another kickoff has not its version or issues
				as.Version, as.RC, as.Issues = r.Version, r.RC, r.Issues
			}
			a.Apps[app.Name] = as
		}
	case ActionDown:
		a.Down, a.Kickoff, a.Version, a.RC, a.Current = true, "", "", "", nil
		a.Apps = nil
	case ActionClaim:
		a.Claim = r.Claim
	case ActionFree:
		a.Claim = nil
	}
}

// States is the state of every slot of slots, in that order, followed by slots only the
// ledger knows; now decides whether claims have expired.
func (p *Replay) States(slots []string, now time.Time) []SlotState {
	order := slices.Clone(slots)
	for _, s := range p.Order {
		if !slices.Contains(order, s) {
			order = append(order, s)
		}
	}
	out := make([]SlotState, 0, len(order))
	for _, s := range order {
		out = append(out, p.state(s, now))
	}
	return out
}

func (p *Replay) state(slot string, now time.Time) SlotState {
	st := SlotState{Slot: slot, Apps: []AppState{}, Issues: []Issue{}}
	a := p.Slots[slot]
	if a == nil {
		return st
	}
	st.Kickoff, st.Version, st.RC, st.Down = a.Kickoff, a.Version, a.RC, a.Down
	st.Claim, st.Last, st.LastFailure, st.Current = a.Claim, a.Last, a.LastFailure, a.Current
	if st.Claim != nil && !st.Claim.Until.IsZero() && !now.Before(st.Claim.Until) {
		st.Claim = nil // a claim until T is over at T
	}
	names := make([]string, 0, len(a.Apps))
	for n := range a.Apps {
		names = append(names, n)
	}
	slices.Sort(names)
	seen := map[string]bool{}
	for _, n := range names {
		app := a.Apps[n]
		st.Apps = append(st.Apps, app)
		for _, is := range app.Issues {
			if !seen[is.Key] {
				seen[is.Key] = true
				st.Issues = append(st.Issues, is)
			}
		}
	}
	slices.SortFunc(st.Issues, func(x, y Issue) int { return kickoff.CompareJiraKeys(x.Key, y.Key) })
	return st
}

// check holds a replay read from storage others write to the rules records are held to:
// slot and app names, and every record it keeps valid.
func (p *Replay) check() error {
	listed := map[string]bool{}
	for _, s := range p.Order {
		if p.Slots[s] == nil || listed[s] {
			return fmt.Errorf("slot %q is listed twice or has no state", s)
		}
		listed[s] = true
	}
	if len(p.Order) != len(p.Slots) {
		return errors.New("its slots and their order disagree")
	}
	for name, a := range p.Slots {
		if !config.IsSlotName(name) {
			return fmt.Errorf("slot %q is not a slot name", name)
		}
		for _, r := range []*Record{a.Last, a.LastFailure, a.Current} {
			if r == nil {
				continue
			}
			if err := r.check(); err != nil {
				return fmt.Errorf("slot %s: record %q: %w", name, r.ID, err)
			}
			if r.Slot != name || r.ID > p.Through {
				return fmt.Errorf("slot %s: record %q does not belong there", name, r.ID)
			}
		}
		for n, app := range a.Apps {
			if n != app.Name || !config.IsAppName(n) {
				return fmt.Errorf("slot %s: app %q is not an app name", name, n)
			}
		}
		if len(a.Recent) > DefaultLimit || a.Count < len(a.Recent) {
			return fmt.Errorf("slot %s: its record count is wrong", name)
		}
		for _, id := range a.Recent {
			if id == "" || id > p.Through {
				return fmt.Errorf("slot %s: record id %q is out of place", name, id)
			}
		}
	}
	return nil
}

// State returns one slot's state from States' result.
func State(states []SlotState, slot string) (SlotState, bool) {
	i := slices.IndexFunc(states, func(s SlotState) bool { return s.Slot == slot })
	if i < 0 {
		return SlotState{}, false
	}
	return states[i], true
}
