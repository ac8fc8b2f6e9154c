package version

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// notesRepo is a kickoff whose history has what real ones have: standard names that look
// like keys, a squash-merged pull request, a pull request merged without a key, and a
// Korean author.
func notesRepo(t *testing.T) *Store {
	r := gittest.New(t)
	const k = "kickoff-240510-gyeolje-gaeseon"
	r.Git("checkout", "-q", "-b", k)
	r.Commit("enc.txt", "x", "Read CSV files as UTF-8, hash with SHA-256 (CVE-2024-3094)")
	r.Commit("pay.txt", "x", "PROJ-12 결제 화면 (#45)")
	r.Git("checkout", "-q", "-b", "fix-typos")
	r.Git("commit", "-q", "--allow-empty", "--author=김민준 <minjun@example.com>", "-m", "오타 수정")
	r.Git("checkout", "-q", k)
	r.Git("merge", "-q", "--no-ff", "fix-typos", "-m", "Merge pull request #51 from acme/fix-typos")
	r.Git("checkout", "-q", "-b", "feature/PROJ-13-refund")
	r.Commit("refund.txt", "x", "Add the refund button")
	r.Git("checkout", "-q", k)
	r.Git("merge", "-q", "--no-ff", "feature/PROJ-13-refund", "-m", "Merge pull request #52 from acme/feature/PROJ-13-refund")
	r.Git("push", "-q", "origin", k)
	return open(t, r.Dir)
}

func TestCollectNotes(t *testing.T) {
	ctx := context.Background()
	s := notesRepo(t)
	for _, tc := range []struct {
		name  string
		scope kickoff.KeyScope
		keys  []string
	}{
		{"no projects known", kickoff.KeyScope{}, []string{"PROJ-12", "PROJ-13"}},
		{"jira.projects", kickoff.ProjectScope([]string{"PROJ"}), []string{"PROJ-12", "PROJ-13"}},
		{"another team's projects", kickoff.ProjectScope([]string{"OPS"}), nil},
	} {
		n, err := CollectNotes(ctx, s.Repo, "kickoff-240510-gyeolje-gaeseon", []string{"refs/heads/main"}, tc.scope)
		if err != nil {
			t.Fatal(err)
		}
		if got := issueKeys(n); !slices.Equal(got, tc.keys) {
			t.Errorf("%s: keys %v, want %v", tc.name, got, tc.keys)
		}
	}
	n, err := CollectNotes(ctx, s.Repo, "kickoff-240510-gyeolje-gaeseon", []string{"refs/heads/main"}, kickoff.ProjectScope([]string{"PROJ"}))
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]IssueNote{}
	for _, in := range n.Issues {
		byKey[in.Key] = in
	}
	// Every entry has its commits' subjects and pull request, squash or merge.
	if in := byKey["PROJ-12"]; !slices.Equal(in.Subjects, []string{"PROJ-12 결제 화면 (#45)"}) || !slices.Equal(in.PullRequests, []int{45}) {
		t.Errorf("PROJ-12 = %+v", in)
	}
	if in := byKey["PROJ-13"]; !slices.Equal(in.Subjects, []string{"Add the refund button"}) || !slices.Equal(in.PullRequests, []int{52}) {
		t.Errorf("PROJ-13 = %+v", in)
	}
	// A pull request merged without a key keeps its number on the commits it brought.
	unkeyed := map[string]CommitNote{}
	for _, c := range n.Unkeyed {
		unkeyed[c.Subject] = c
	}
	if c, ok := unkeyed["오타 수정"]; !ok || c.PullRequest != 51 || c.Author != "김민준" {
		t.Errorf("the key-less pull request's commit: %+v (all: %+v)", c, n.Unkeyed)
	}
	if c, ok := unkeyed["Read CSV files as UTF-8, hash with SHA-256 (CVE-2024-3094)"]; !ok || c.PullRequest != 0 {
		t.Errorf("the UTF-8 commit is listed without a key: %+v", n.Unkeyed)
	}
	if len(n.Unkeyed) != 2 {
		t.Errorf("unkeyed: %+v", n.Unkeyed)
	}
}

// fakeIssues answers some keys, 404s others, and can be down.
type fakeIssues struct {
	known map[string]jira.Issue
	down  error
	asked []string
}

func (f *fakeIssues) Issue(_ context.Context, key string) (jira.Issue, error) {
	f.asked = append(f.asked, key)
	if f.down != nil {
		return jira.Issue{}, f.down
	}
	if is, ok := f.known[key]; ok {
		return is, nil
	}
	return jira.Issue{}, fmt.Errorf("issue %s: %w (404)", key, jira.ErrNotFound)
}

// One unknown key loses only its own details; Jira down loses them all, and says so.
func TestEnrichPerIssue(t *testing.T) {
	notes := func() *Notes {
		return &Notes{Issues: []IssueNote{{Key: "PROJ-12"}, {Key: "PROJ-404"}, {Key: "PROJ-13"}}}
	}
	src := &fakeIssues{known: map[string]jira.Issue{
		"PROJ-12": {Key: "PROJ-12", Summary: "결제 개선", Type: "Story"},
		"PROJ-13": {Key: "PROJ-13", Summary: "Refunds", Type: "Bug"},
	}}
	n := notes()
	missed, err := n.Enrich(context.Background(), src)
	if err != nil || len(missed) != 1 || !strings.Contains(missed[0].Error(), "PROJ-404") {
		t.Fatalf("Enrich = %v, %v", missed, err)
	}
	if n.Issues[0].Summary != "결제 개선" || n.Issues[2].Summary != "Refunds" || n.Issues[1].Summary != "" {
		t.Errorf("issues = %+v", n.Issues)
	}
	if n.Jira != "partial" || !strings.Contains(n.JiraErr, "PROJ-404") {
		t.Errorf("jira = %q %q", n.Jira, n.JiraErr)
	}

	down := &fakeIssues{down: fmt.Errorf("%w: connection refused", jira.ErrUnreachable)}
	n = notes()
	if _, err := n.Enrich(context.Background(), down); !errors.Is(err, jira.ErrUnreachable) || n.Jira != "failed" || len(down.asked) != 1 {
		t.Errorf("Jira down: err %v, jira %q, asked %v (once is enough)", err, n.Jira, down.asked)
	}
}

// Without a Jira summary, an issue's line says what its commits say.
func TestMarkdownSubjects(t *testing.T) {
	n := &Notes{Title: "kickoff-240510-gyeolje-gaeseon", Issues: []IssueNote{
		{Key: "PROJ-12", Authors: []string{"김민준"}, PullRequests: []int{45}, Subjects: []string{"PROJ-12: 환불 버튼", "PROJ-12 결제 화면 (#45)"}},
		{Key: "PROJ-13", Summary: "Refunds", Type: "Bug", Subjects: []string{"Add the refund button"}},
	}, Unkeyed: []CommitNote{{SHA: "0123456789abcdef", Subject: "오타 수정 (#51)", Author: "김민준", PullRequest: 51}}}
	md := n.Markdown()
	for _, want := range []string{
		"- PROJ-12 결제 화면; 환불 버튼 (김민준, #45)\n",
		"- PROJ-13 Refunds\n",
		"- 0123456789ab 오타 수정 (김민준, #51)\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
