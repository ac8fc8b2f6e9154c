package ledger

import "slices"

// DefaultLimit is how many records a listing returns when the filter names no limit.
const DefaultLimit = 100

// Match reports whether r passes the filter's slot, kickoff and app conditions.
func (f Filter) Match(r Record) bool {
	if f.Slot != "" && r.Slot != f.Slot {
		return false
	}
	if f.Kickoff != "" && r.Kickoff != f.Kickoff &&
		!slices.ContainsFunc(r.Apps, func(a App) bool { return a.Kickoff == f.Kickoff }) {
		return false
	}
	if f.App != "" && !slices.ContainsFunc(r.Apps, func(a App) bool { return a.Name == f.App }) {
		return false
	}
	return true
}

// limit is the number of records to return: Limit, DefaultLimit when 0, everything when negative.
func (f Filter) limit() int {
	switch {
	case f.Limit == 0:
		return DefaultLimit
	case f.Limit < 0:
		return int(^uint(0) >> 1)
	}
	return f.Limit
}

// newestFirst filters recs (oldest first, as stored) and returns at most the filter's limit,
// newest first.
func newestFirst(recs []Record, f Filter) []Record {
	n := f.limit()
	out := make([]Record, 0, min(n, len(recs)))
	for i := len(recs) - 1; i >= 0 && len(out) < n; i-- {
		if f.Match(recs[i]) {
			out = append(out, recs[i])
		}
	}
	return out
}
