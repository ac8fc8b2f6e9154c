package gate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/radar"
)

// pairWith is a pair whose conflicts are all the head's own.
func pairWith(b, role string, blocking bool, conflicts []radar.Conflict, overlaps []radar.Overlap) Pair {
	p := Pair{Pair: radar.Pair{A: "feature/x", B: b, Clean: len(conflicts) == 0, Conflicts: conflicts, Overlaps: overlaps}, Role: role, Blocking: blocking, Own: len(conflicts)}
	for _, c := range conflicts {
		p.Blame = append(p.Blame, Blame{Path: c.Path, Kind: c.Kind, Owner: OwnerHead, Between: [2]string{"feature/x", b}})
	}
	return p
}

func TestConclusion(t *testing.T) {
	conflict := []radar.Conflict{{Path: "app.txt", Kind: radar.KindContent}}
	tests := []struct {
		name              string
		pairs             []Pair
		conclusion, title string
	}{
		{"clean", []Pair{pairWith("main", RoleMain, true, nil, nil)}, Success, "No conflicts"},
		{"a blocking conflict", []Pair{
			pairWith("main", RoleMain, true, conflict, nil),
			pairWith("kickoff-241102-billing", RoleKickoff, false, conflict, nil),
		}, Failure, "Conflicts with main"},
		{"only a kickoff", []Pair{
			pairWith("main", RoleMain, true, nil, nil),
			pairWith("kickoff-241102-billing", RoleKickoff, false, conflict, nil),
		}, Neutral, "Conflicts with other kickoffs: kickoff-241102-billing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &Result{Head: "feature/x", Pairs: tt.pairs}
			c, title := res.Conclusion()
			if c != tt.conclusion || title != tt.title {
				t.Errorf("Conclusion = %q %q, want %q %q", c, title, tt.conclusion, tt.title)
			}
		})
	}
}

func TestFindings(t *testing.T) {
	by := []radar.Touch{{Commit: "0123456789abcdef", Author: "Ann Author", Jira: []string{"OPS-9"}}}
	res := &Result{Pairs: []Pair{
		pairWith("main", RoleMain, true, []radar.Conflict{
			{Path: "app.txt", Kind: radar.KindContent, Ours: []radar.Range{{3, 3}}, TheirsBy: by},
			{Path: "gone.txt", Kind: radar.KindModifyDelete},
		}, nil),
		pairWith("kickoff-b", RoleKickoff, false, []radar.Conflict{{Path: "b.txt", Kind: radar.KindContent, Ours: []radar.Range{{1, 2}, {5, 5}}}},
			[]radar.Overlap{{Path: "c.txt", Ours: []radar.Range{{4, 6}}, Theirs: []radar.Range{{4, 5}}}}),
	}}
	type where struct {
		Path       string
		Start, End int
		Level      string
	}
	var got []where
	for _, f := range res.Findings() {
		got = append(got, where{f.Path, f.Start, f.End, f.Level})
	}
	want := []where{
		{"app.txt", 3, 3, LevelFailure},
		{"gone.txt", 1, 1, LevelFailure}, // no lines from git: the file's first line
		{"b.txt", 1, 2, LevelWarning},
		{"b.txt", 5, 5, LevelWarning},
		{"c.txt", 4, 6, LevelNotice},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings %v\nwant %v", got, want)
	}
	f := res.Findings()[0]
	if f.Title != "content conflict with main" || !strings.Contains(f.Message, "On main these lines were changed by Ann Author (OPS-9) in 0123456789ab.") {
		t.Errorf("first finding %q: %q", f.Title, f.Message)
	}
}

func TestMarkdownHeadline(t *testing.T) {
	conflict := []radar.Conflict{{Path: "app.txt", Kind: radar.KindContent}}
	tests := []struct {
		name  string
		pairs []Pair
		want  string
	}{
		{"clean", []Pair{pairWith("main", RoleMain, true, nil, nil)}, "### ✅ Conflict radar: `feature/x` merges cleanly"},
		{"failing", []Pair{pairWith("main", RoleMain, true, conflict, nil)}, "### ❌ Conflict radar: `feature/x` conflicts with main"},
		{"warning", []Pair{pairWith("kickoff-b", RoleKickoff, false, conflict, nil)}, "### ⚠️ Conflict radar: `feature/x` conflicts with other kickoffs: kickoff-b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := (&Result{Head: "feature/x", Pairs: tt.pairs}).Markdown()
			if !strings.HasPrefix(md, tt.want+"\n") {
				t.Errorf("Markdown starts %q, want %q", strings.SplitN(md, "\n", 2)[0], tt.want)
			}
		})
	}
}
