package route

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Actions of a change.
const (
	ActionAdd    = "add"
	ActionChange = "change"
	ActionRemove = "remove"
)

// Kinds of what a change touches.
const (
	KindRule   = "rule"   // a route: an ALB listener rule and its target group, or a local table entry
	KindRecord = "record" // a Route 53 record
	// KindTargetGroup is an ALB target group kickoff created that no rule uses any more
	// (left by a removal that failed half way); apply deletes it.
	KindTargetGroup = "target_group"
)

// Change is one step of a plan: a rule (or record) to add, change or remove.
type Change struct {
	Action string  `json:"action"`
	Kind   string  `json:"kind"`
	Slot   string  `json:"slot"`
	App    string  `json:"app"`
	Name   string  `json:"name"` // host+path for rules, the record name for records
	Fields []Field `json:"fields,omitempty"`
	Before *Route  `json:"before,omitempty"`
	After  *Route  `json:"after,omitempty"`

	// ref is what the driver found (rule ARN, record) for changes and removals.
	ref any
}

// Field is one attribute that differs.
type Field struct {
	Name   string `json:"name"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// Key is slot/app, or the name of what no single slot owns (the domain's record in path mode).
func (c Change) Key() string {
	if c.Slot == "" {
		return c.Name
	}
	return c.Slot + "/" + c.App
}

// Plan is what apply would do. An empty Changes list means nothing to do.
type Plan struct {
	Driver  string   `json:"driver"`
	Mode    string   `json:"mode"`
	Changes []Change `json:"changes"`
	// Notes tell the user what kickoff does not do itself (e.g. the one DNS record to create).
	Notes []string `json:"notes,omitempty"`
	// Unchanged counts the routes already as wanted.
	Unchanged int `json:"unchanged"`

	desired []Route
	state   any // what the driver learnt while planning, for Apply
}

// MarshalJSON writes "changes": [] (never null) for an empty plan: the schema is stable.
func (p *Plan) MarshalJSON() ([]byte, error) {
	type plan Plan
	q := plan(*p)
	if q.Changes == nil {
		q.Changes = []Change{}
	}
	return json.Marshal(q)
}

// Count tells how many changes have each action.
func (p *Plan) Count() (add, change, remove int) {
	for _, c := range p.Changes {
		switch c.Action {
		case ActionAdd:
			add++
		case ActionChange:
			change++
		case ActionRemove:
			remove++
		}
	}
	return
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// ForSlot keeps the changes of one slot (what `kickoff release` applies) and those every
// slot shares (the domain's record in path mode).
func (p *Plan) ForSlot(slot string) *Plan {
	q := *p
	q.Changes = slices.DeleteFunc(slices.Clone(p.Changes), func(c Change) bool { return c.Slot != slot && c.Slot != "" })
	return &q
}

// Driver reads the routes that exist and applies plans. Apply makes the changes in order and
// stops at the first failure, returning an *ApplyError that says what was and was not done;
// running the same plan again finishes the job, since every change is computed afresh.
type Driver interface {
	Name() string
	Plan(ctx context.Context, desired []Route) (*Plan, error)
	Apply(ctx context.Context, p *Plan) error
}

// ApplyError reports a partly applied plan.
type ApplyError struct {
	Done    []Change
	Failed  Change
	Pending []Change
	Err     error
}

func (e *ApplyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s: %v", e.Failed.Action, e.Failed.Kind, e.Failed.Key(), e.Err)
	fmt.Fprintf(&b, "\n  changed: %s", describe(e.Done))
	fmt.Fprintf(&b, "\n  not changed: %s", describe(append([]Change{e.Failed}, e.Pending...)))
	b.WriteString("\n  the routes already changed are in place; run the same command again to finish the job")
	return b.String()
}

func (e *ApplyError) Unwrap() error { return e.Err }

func describe(cs []Change) string {
	if len(cs) == 0 {
		return "none"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Action + " " + c.Kind + " " + c.Key()
	}
	return strings.Join(parts, ", ")
}

// applyEach runs do for every change in order, wrapping the first failure in an ApplyError.
func applyEach(ctx context.Context, changes []Change, do func(context.Context, Change) error) error {
	for i, c := range changes {
		if err := ctx.Err(); err != nil {
			return &ApplyError{Done: changes[:i], Failed: c, Pending: changes[i+1:], Err: err}
		}
		if err := do(ctx, c); err != nil {
			var ae *ApplyError
			if errors.As(err, &ae) {
				return err
			}
			return &ApplyError{Done: changes[:i], Failed: c, Pending: changes[i+1:], Err: err}
		}
	}
	return nil
}

// Diff compares desired with actual routes (both keyed by slot/app) and lists the changes:
// additions and changes in desired order, then removals in actual order.
func Diff(desired, actual []Route) (changes []Change, unchanged int) {
	have := map[string]Route{}
	for _, r := range actual {
		have[r.Key()] = r
	}
	want := map[string]bool{}
	for _, d := range desired {
		want[d.Key()] = true
		d := d
		a, ok := have[d.Key()]
		if !ok {
			changes = append(changes, Change{Action: ActionAdd, Kind: KindRule, Slot: d.Slot, App: d.App, Name: d.URL(), After: &d})
			continue
		}
		d.Priority = a.Priority // priorities are kept, never changed
		if slices.Contains(d.live, a.Backend.Port) {
			d.Backend.Port = a.Backend.Port // a switch under way: traffic stays until it moves it
		}
		fields := compare(a, d)
		if len(fields) == 0 {
			unchanged++
			continue
		}
		before := a
		changes = append(changes, Change{Action: ActionChange, Kind: KindRule, Slot: d.Slot, App: d.App, Name: d.URL(), Fields: fields, Before: &before, After: &d})
	}
	for _, a := range actual {
		if !want[a.Key()] {
			a := a
			changes = append(changes, Change{Action: ActionRemove, Kind: KindRule, Slot: a.Slot, App: a.App, Name: a.URL(), Before: &a})
		}
	}
	return changes, unchanged
}

func compare(a, d Route) []Field {
	var fs []Field
	add := func(name, before, after string) {
		if before != after {
			fs = append(fs, Field{Name: name, Before: before, After: after})
		}
	}
	add("host", a.Host, d.Host)
	add("path", a.Path, d.Path)
	add("strip_prefix", strconv.FormatBool(a.StripPrefix), strconv.FormatBool(d.StripPrefix))
	add("backend", a.Backend.String(), d.Backend.String())
	return fs
}

// Apply applies the changes of p to routes, for drivers that hold a whole table (local).
func applyToTable(routes []Route, changes []Change) []Route {
	out := slices.Clone(routes)
	for _, c := range changes {
		i := slices.IndexFunc(out, func(r Route) bool { return r.Key() == c.Key() })
		switch c.Action {
		case ActionAdd, ActionChange:
			if i >= 0 {
				out[i] = *c.After
			} else {
				out = append(out, *c.After)
			}
		case ActionRemove:
			if i >= 0 {
				out = slices.Delete(out, i, i+1)
			}
		}
	}
	return out
}
