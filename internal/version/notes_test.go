package version

import (
	"strings"
	"testing"
)

func TestPullRequest(t *testing.T) {
	tests := map[[2]string]int{
		{"Merge pull request #12 from acme/feature/PROJ-1-x", ""}:                      12,
		{"PROJ-3 speed up search (#45)", ""}:                                           45,
		{"Merged in feature/PROJ-2 (pull request #7)", ""}:                             7,
		{"Merge branch 'feature/PROJ-4' into 'main'", "See merge request acme/app!31"}: 31,
		{"Merge branch 'main' into kickoff-240510-x", ""}:                              0,
		{"Fix #12 in the parser", ""}:                                                  0,
	}
	for in, want := range tests {
		if got := pullRequest(in[0], in[1]); got != want {
			t.Errorf("pullRequest(%q) = %d, want %d", in[0], got, want)
		}
	}
}

func TestMarkdownGroupsByType(t *testing.T) {
	n := &Notes{Title: "platform/v1.3.0", Issues: []IssueNote{
		{Key: "PROJ-10", Type: "Bug", Summary: "crash", URL: "https://j/browse/PROJ-10", Authors: []string{"Bo"}},
		{Key: "PROJ-2", Type: "Story", Summary: "list", Authors: []string{"Ann", "Bo"}, PullRequests: []int{3, 9}},
		{Key: "OPS-1", Type: "Chore", Summary: "ops"},
	}, Unkeyed: []CommitNote{{SHA: "0123456789abcdef", Subject: "typo", Author: "Cy", PullRequest: 4}}}
	md := n.Markdown()
	for _, want := range []string{
		"# platform/v1.3.0\n",
		"## Stories\n\n- PROJ-2 list (Ann, Bo, #3, #9)\n",
		"## Bugs\n\n- [PROJ-10](https://j/browse/PROJ-10) crash (Bo)\n",
		"## Chores\n\n- OPS-1 ops\n",
		"## Commits without a Jira key\n\n- 0123456789ab typo (Cy, #4)\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "## Stories") > strings.Index(md, "## Bugs") || strings.Index(md, "## Bugs") > strings.Index(md, "## Chores") {
		t.Errorf("type order wrong:\n%s", md)
	}
	empty := (&Notes{Title: "x"}).Markdown()
	if !strings.Contains(empty, "No changes.") {
		t.Errorf("empty notes: %q", empty)
	}
}
