package radar

import (
	"slices"
	"strings"
	"testing"
)

// parseMarkers finds git's conflict blocks (with or without the base section) and takes
// anything else that looks like a marker for content.
func TestParseMarkers(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []markerBlock
	}{
		{"no conflict", "a\nb\n", nil},
		{
			"one block",
			"a\n<<<<<<< ours\nO\n=======\nT1\nT2\n>>>>>>> theirs\nz\n",
			[]markerBlock{{OursStart: 2, OursEnd: 3, TheirsStart: 4, TheirsEnd: 6}},
		},
		{
			"diff3 base section is neither side",
			"<<<<<<< ours\nO\n||||||| base\nB\n=======\nT\n>>>>>>> theirs\n",
			[]markerBlock{{OursStart: 1, OursEnd: 2, TheirsStart: 5, TheirsEnd: 6}},
		},
		{
			"empty sides and bare markers",
			"<<<<<<<\n=======\n>>>>>>>\n",
			[]markerBlock{{OursStart: 1, OursEnd: 1, TheirsStart: 2, TheirsEnd: 2}},
		},
		{
			"two blocks, CRLF",
			"<<<<<<< a\r\nx\r\n=======\r\ny\r\n>>>>>>> b\r\nk\r\n<<<<<<< a\r\n=======\r\nw\r\n>>>>>>> b\r\n",
			[]markerBlock{{1, 2, 3, 4}, {7, 7, 8, 9}},
		},
		{
			"longer markers of an inner merge are content",
			"<<<<<<< ours\n<<<<<<<< inner\nO\n========\n>>>>>>>> inner\n=======\nT\n>>>>>>> theirs\n",
			[]markerBlock{{OursStart: 1, OursEnd: 5, TheirsStart: 6, TheirsEnd: 7}},
		},
		{"marker glued to text is content", "<<<<<<<x\n=======\n>>>>>>>\n", nil},
		{"unfinished block", "<<<<<<< ours\nO\n=======\nT\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseMarkers(splitLines(tc.text)); !slices.Equal(got, tc.want) {
				t.Errorf("parseMarkers = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMergeRanges(t *testing.T) {
	for _, tc := range []struct{ in, want []Range }{
		{nil, nil},
		{[]Range{{3, 4}}, []Range{{3, 4}}},
		{[]Range{{9, 9}, {1, 2}, {5, 6}}, []Range{{1, 2}, {5, 6}, {9, 9}}},
		{[]Range{{5, 6}, {1, 4}}, []Range{{1, 6}}},             // touching
		{[]Range{{1, 10}, {3, 4}, {10, 12}}, []Range{{1, 12}}}, // inside, overlapping
	} {
		if got := mergeRanges(slices.Clone(tc.in)); !slices.Equal(got, tc.want) {
			t.Errorf("mergeRanges(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// sideRanges gives each block's lines as line numbers of the side's own file, and a
// side that deleted the lines the line before the deletion.
func TestSideRanges(t *testing.T) {
	ours := "h1\nh2\nours a\nours b\nm\nt\n"
	theirs := "h1\nh2\nm\nt\n" // deleted what ours changed
	merged := splitLines("h1\nh2\n<<<<<<< ours\nours a\nours b\n=======\n>>>>>>> theirs\nm\nt\n")
	blocks := parseMarkers(merged)
	if got := sideRanges(ours, merged, blocks, true); !slices.Equal(got, []Range{{3, 4}}) {
		t.Errorf("ours = %v, want [[3 4]]", got)
	}
	if got := sideRanges(theirs, merged, blocks, false); !slices.Equal(got, []Range{{2, 2}}) {
		t.Errorf("theirs = %v, want [[2 2]] (the line before the deletion)", got)
	}
	// Blocks on consecutive lines of a side join into one range; a line apart, not.
	side := strings.Repeat("x\n", 2) + "a\nc\nd\ne\n"
	merged = splitLines("x\nx\n<<<<<<<\na\n=======\nA\n>>>>>>>\n<<<<<<<\nc\n=======\nC\n>>>>>>>\nd\n<<<<<<<\ne\n=======\nE\n>>>>>>>\n")
	if got := sideRanges(side, merged, parseMarkers(merged), true); !slices.Equal(got, []Range{{3, 4}, {6, 6}}) {
		t.Errorf("blocks = %v, want [[3 4] [6 6]]", got)
	}
}
