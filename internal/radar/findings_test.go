package radar

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// git moves a file aside as path~<commit>; the radar names it as git does when given
// the ref names (path~<ref with / as _>), so it compares equal to git merge-tree a b.
func TestAsNamed(t *testing.T) {
	a, b := plumbing.NewHash(strings.Repeat("a", 40)), plumbing.NewHash(strings.Repeat("b", 40))
	j := &job{a: a, b: b}
	p := &Pair{A: "kickoff/one", B: "two"}
	for _, tc := range []struct{ path, want string }{
		{"conf~" + a.String(), "conf~kickoff_one"},
		{"dir/conf~" + b.String(), "dir/conf~two"},
		{"plain.txt", "plain.txt"},
		{"conf~" + a.String() + ".bak", "conf~" + a.String() + ".bak"},
	} {
		if got := asNamed(tc.path, j, p); got != tc.want {
			t.Errorf("asNamed(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// newRange is a hunk's new side as 1-based lines; a deletion points at the line before.
func TestNewRange(t *testing.T) {
	for _, tc := range []struct {
		h    hunk
		want Range
	}{
		{hunk{OldStart: 4, OldEnd: 5, NewStart: 4, NewEnd: 6}, Range{5, 6}},
		{hunk{OldStart: 4, OldEnd: 6, NewStart: 4, NewEnd: 4}, Range{4, 4}},
		{hunk{OldStart: 0, OldEnd: 2, NewStart: 0, NewEnd: 0}, Range{1, 1}},
	} {
		if got := newRange(tc.h); got != tc.want {
			t.Errorf("newRange(%+v) = %v, want %v", tc.h, got, tc.want)
		}
	}
}
