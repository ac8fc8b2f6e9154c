package ledger

import (
	"slices"
	"strconv"
	"testing"
)

// A filter's conditions all hold; a kickoff matches the record's or any app's kickoff (an
// app kept from an earlier deploy), an app matches any app of the record.
func TestFilterMatch(t *testing.T) {
	r := Record{Slot: "dev1", Kickoff: "kickoff-b", Apps: []App{{Name: "spring", Kickoff: "kickoff-b"}, {Name: "frontend", Kickoff: "kickoff-a"}}}
	for _, tc := range []struct {
		f    Filter
		want bool
	}{
		{Filter{}, true},
		{Filter{Slot: "dev1"}, true},
		{Filter{Slot: "dev2"}, false},
		{Filter{Kickoff: "kickoff-b"}, true},
		{Filter{Kickoff: "kickoff-a"}, true},
		{Filter{Kickoff: "kickoff-c"}, false},
		{Filter{App: "frontend"}, true},
		{Filter{App: "db"}, false},
		{Filter{Slot: "dev1", Kickoff: "kickoff-a", App: "spring"}, true},
		{Filter{Slot: "dev1", Kickoff: "kickoff-a", App: "db"}, false},
	} {
		if got := tc.f.Match(r); got != tc.want {
			t.Errorf("%+v.Match = %v, want %v", tc.f, got, tc.want)
		}
	}
}

// newestFirst keeps the matching records, newest first, up to the limit: 100 by default,
// all when negative.
func TestNewestFirst(t *testing.T) {
	var recs []Record // oldest first, as stored
	for i := range 150 {
		slot := "dev1"
		if i%2 == 1 {
			slot = "dev2"
		}
		recs = append(recs, Record{Slot: slot, Kickoff: "k" + strconv.Itoa(i)})
	}
	kickoffs := func(rs []Record) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Kickoff)
		}
		return out
	}
	for _, tc := range []struct {
		f           Filter
		n           int
		first, last string
	}{
		{Filter{}, DefaultLimit, "k149", "k50"},
		{Filter{Limit: -1}, 150, "k149", "k0"},
		{Filter{Limit: 3}, 3, "k149", "k147"},
		{Filter{Slot: "dev1", Limit: 2}, 2, "k148", "k146"},
		{Filter{Slot: "dev2", Limit: -1}, 75, "k149", "k1"},
		{Filter{Slot: "dev9"}, 0, "", ""},
	} {
		got := kickoffs(newestFirst(recs, tc.f))
		if len(got) != tc.n || (tc.n > 0 && (got[0] != tc.first || got[len(got)-1] != tc.last)) {
			t.Errorf("newestFirst(%+v) = %d records %v..., want %d, %s..%s", tc.f, len(got), got[:min(3, len(got))], tc.n, tc.first, tc.last)
		}
	}
	if !slices.Equal(kickoffs(recs[:1]), []string{"k0"}) {
		t.Error("newestFirst changed its input")
	}
}
