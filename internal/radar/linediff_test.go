package radar

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// lineHunks sets common ends aside before diffing: its hunks turn the old text into the
// new one, and change no more lines than the full diff (where repeated lines make several
// places equally right, they may sit elsewhere).
func TestLineHunksMatchFullDiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	size := func(hs []hunk) (n int) {
		for _, h := range hs {
			n += h.OldEnd - h.OldStart + h.NewEnd - h.NewStart
		}
		return n
	}
	for i := 0; i < 2000; i++ {
		base := randomText(rng, rng.IntN(30))
		old, new := strings.Join(base, ""), strings.Join(randomEdit(rng, base, "x"), "")
		got, full := lineHunks(old, new), middleHunks(old, new)
		ol, nl := splitLines(old), splitLines(new)
		var rebuilt []string
		at := 0
		for _, h := range got {
			rebuilt = append(rebuilt, ol[at:h.OldStart]...)
			rebuilt = append(rebuilt, nl[h.NewStart:h.NewEnd]...)
			at = h.OldEnd
		}
		rebuilt = append(rebuilt, ol[at:]...)
		if strings.Join(rebuilt, "") != new || size(got) > size(full) {
			t.Fatalf("old:\n%s\nnew:\n%s\nhunks %v do not make new as the full diff %v does", old, new, got, full)
		}
	}
}

// lineHunks on texts small enough to read: each hunk is the changed lines of both texts.
func TestLineHunks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		want     []hunk
	}{
		{"same", "a\nb\n", "a\nb\n", nil},
		{"both empty", "", "", nil},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", []hunk{{1, 2, 1, 2}}},
		{"insert at the top", "a\nb\n", "x\na\nb\n", []hunk{{0, 0, 0, 1}}},
		{"delete at the end", "a\nb\nc\n", "a\n", []hunk{{1, 3, 1, 1}}},
		{"everything new", "", "a\nb\n", []hunk{{0, 0, 0, 2}}},
		{"two places", "a\nb\nc\nd\ne\n", "A\nb\nc\nd\nE\n", []hunk{{0, 1, 0, 1}, {4, 5, 4, 5}}},
		{"last line without newline", "a\nb", "a\nc", []hunk{{1, 2, 1, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lineHunks(tc.old, tc.new); !slices.Equal(got, tc.want) {
				t.Errorf("lineHunks = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// lineMap follows unchanged lines across hunks and marks new lines -1.
func TestLineMap(t *testing.T) {
	old, new := "a\nb\nc\nd\n", "a\nX\nY\nc\nd\nZ\n" // b replaced by two lines, Z added
	got := lineMap(lineHunks(old, new), countLines(new))
	if want := []int{0, -1, -1, 2, 3, -1}; !slices.Equal(got, want) {
		t.Errorf("lineMap = %v, want %v", got, want)
	}
}

func TestLineCounting(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    int
	}{{"", 0}, {"a", 1}, {"a\n", 1}, {"a\nb", 2}, {"\n\n", 2}} {
		if got := countLines(tc.text); got != tc.n {
			t.Errorf("countLines(%q) = %d, want %d", tc.text, got, tc.n)
		}
		if got := splitLines(tc.text); len(got) != tc.n || strings.Join(got, "") != tc.text {
			t.Errorf("splitLines(%q) = %q", tc.text, got)
		}
	}
}

// binaryish is git's rule: a NUL in the first 8000 bytes, not later.
func TestBinaryish(t *testing.T) {
	late := append(bytes.Repeat([]byte("a"), 8000), 0)
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"text", []byte("hello\n"), false},
		{"empty", nil, false},
		{"NUL", []byte("\x89PNG\x00"), true},
		{"NUL past 8000 bytes", late, false},
		{"NUL at byte 8000", late[1:], true},
	} {
		if got := binaryish(tc.data); got != tc.want {
			t.Errorf("%s: binaryish = %v, want %v", tc.name, got, tc.want)
		}
	}
}
