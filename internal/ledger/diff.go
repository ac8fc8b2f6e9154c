package ledger

import "slices"

// SlotDiff is what differs between two slots, per app and in Jira issues.
type SlotDiff struct {
	A      string    `json:"a"`
	B      string    `json:"b"`
	Same   bool      `json:"same"` // no app and no issue differs
	Apps   []AppDiff `json:"apps"`
	OnlyA  []Issue   `json:"only_a"` // issues on A and not on B
	OnlyB  []Issue   `json:"only_b"`
	Shared []Issue   `json:"shared"`
}

// AppDiff compares one app; A or B is nil where the slot does not run it.
type AppDiff struct {
	App  string    `json:"app"`
	Same bool      `json:"same"`
	A    *AppState `json:"a"`
	B    *AppState `json:"b"`
}

// Diff compares two slot states. Apps are the same when image, digest and commit match.
func Diff(a, b SlotState) SlotDiff {
	d := SlotDiff{A: a.Slot, B: b.Slot, Same: true, Apps: []AppDiff{}, OnlyA: []Issue{}, OnlyB: []Issue{}, Shared: []Issue{}}
	var names []string
	for _, x := range append(slices.Clone(a.Apps), b.Apps...) {
		if !slices.Contains(names, x.Name) {
			names = append(names, x.Name)
		}
	}
	slices.Sort(names)
	find := func(s SlotState, n string) *AppState {
		if i := slices.IndexFunc(s.Apps, func(x AppState) bool { return x.Name == n }); i >= 0 {
			return &s.Apps[i]
		}
		return nil
	}
	for _, n := range names {
		x, y := find(a, n), find(b, n)
		same := x != nil && y != nil && x.Image == y.Image && x.Digest == y.Digest && x.Commit == y.Commit
		d.Apps = append(d.Apps, AppDiff{App: n, Same: same, A: x, B: y})
		d.Same = d.Same && same
	}
	has := func(list []Issue, key string) bool {
		return slices.ContainsFunc(list, func(i Issue) bool { return i.Key == key })
	}
	for _, is := range a.Issues {
		if has(b.Issues, is.Key) {
			d.Shared = append(d.Shared, is)
		} else {
			d.OnlyA = append(d.OnlyA, is)
		}
	}
	for _, is := range b.Issues {
		if !has(a.Issues, is.Key) {
			d.OnlyB = append(d.OnlyB, is)
		}
	}
	d.Same = d.Same && len(d.OnlyA) == 0 && len(d.OnlyB) == 0
	return d
}
