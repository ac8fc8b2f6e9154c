package radar

import (
	"slices"
	"testing"
)

func TestPairSummary(t *testing.T) {
	for _, tc := range []struct {
		p    Pair
		want string
	}{
		{Pair{Clean: true}, "clean"},
		{Pair{Clean: true, Overlaps: make([]Overlap, 1)}, "clean, 1 overlapping file"},
		{Pair{Conflicts: make([]Conflict, 1)}, "1 conflicted file"},
		{Pair{Conflicts: make([]Conflict, 3), Overlaps: make([]Overlap, 2)}, "3 conflicted files, 2 overlapping files"},
	} {
		if got := tc.p.Summary(); got != tc.want {
			t.Errorf("Summary = %q, want %q", got, tc.want)
		}
	}
}

func TestFormatRanges(t *testing.T) {
	for _, tc := range []struct {
		rs   []Range
		want string
	}{
		{nil, ""},
		{[]Range{{9, 9}}, "9"},
		{[]Range{{3, 5}, {9, 9}, {12, 20}}, "3-5,9,12-20"},
	} {
		if got := FormatRanges(tc.rs); got != tc.want {
			t.Errorf("FormatRanges(%v) = %q, want %q", tc.rs, got, tc.want)
		}
	}
}

// The matrix is symmetric, in ref order, with clean empty cells where no pair was
// compared; ConflictedPaths is sorted; a report is clean only when every pair is.
func TestReportMatrix(t *testing.T) {
	r := &Report{
		Refs: []RefInfo{{Name: "main"}, {Name: "a"}, {Name: "b"}},
		Pairs: []Pair{
			{A: "main", B: "a", Clean: true, Overlaps: make([]Overlap, 1)},
			{A: "a", B: "b", Conflicts: []Conflict{{Path: "z.go"}, {Path: "a.go"}}},
			{A: "gone", B: "a"}, // a ref not in the report: left out
		},
	}
	m := r.Matrix()
	if len(m) != 3 || len(m[0]) != 3 {
		t.Fatalf("matrix %dx%d, want 3x3", len(m), len(m[0]))
	}
	if c := m[1][2]; c.A != "a" || c.B != "b" || c.Clean || c.Conflicts != 2 {
		t.Errorf("a x b = %+v", c)
	}
	if c := m[2][1]; c.A != "b" || c.B != "a" || c.Clean || c.Conflicts != 2 {
		t.Errorf("b x a = %+v, want the mirror of a x b", c)
	}
	if c := m[0][1]; !c.Clean || c.Overlaps != 1 || m[1][0].Overlaps != 1 {
		t.Errorf("main x a = %+v", c)
	}
	if c := m[0][2]; !c.Clean || c.Conflicts != 0 || c.A != "main" || c.B != "b" {
		t.Errorf("main x b (not compared) = %+v", c)
	}
	if got := r.Pairs[1].ConflictedPaths(); !slices.Equal(got, []string{"a.go", "z.go"}) {
		t.Errorf("ConflictedPaths = %v", got)
	}
	if r.Clean() {
		t.Error("a report with a conflicted pair is clean")
	}
	if !(&Report{Pairs: r.Pairs[:1]}).Clean() {
		t.Error("a report of clean pairs is not clean")
	}
}
