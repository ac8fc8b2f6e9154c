package gate

import (
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

func TestRecheck(t *testing.T) {
	r := blameRepo(t)
	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	env := &kickoff.Env{Repo: repo, Main: "main", Remote: "origin"}
	open := []PullRequest{
		{Number: 1, HeadRef: "feature/PROJ-7-banner", BaseRef: login},
		{Number: 2, HeadRef: login, BaseRef: "main"},
		{Number: 3, HeadRef: "main", BaseRef: "main", Fork: true}, // a fork's main
		{Number: 4, HeadRef: "docs", BaseRef: "release"},
	}
	tests := []struct {
		pushed string
		want   []int
	}{
		{"", []int{1, 2, 3, 4}},        // not a push: all
		{"main", []int{1, 2, 3, 4}},    // every check compares against main
		{login, []int{1, 3, 4}},        // a live kickoff: every other pull request
		{"release", []int{4}},          // only what targets it
		{"feature/x", nil},             // a feature branch is nobody's neighbour
		{"feature/PROJ-7-banner", nil}, // its own pull_request run checks it
	}
	for _, tt := range tests {
		got, err := Recheck(env, tt.pushed, open)
		if err != nil {
			t.Fatal(err)
		}
		var ns []int
		for _, p := range got {
			ns = append(ns, p.Number)
		}
		if !slices.Equal(ns, tt.want) {
			t.Errorf("push to %q re-checks %v, want %v", tt.pushed, ns, tt.want)
		}
	}
}
