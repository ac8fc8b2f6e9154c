package version

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// issueBook answers from a map; a missing key is an error.
type issueBook map[string]jira.Issue

func (b issueBook) Issue(_ context.Context, key string) (jira.Issue, error) {
	if is, ok := b[key]; ok {
		return is, nil
	}
	return jira.Issue{}, errors.New("404 " + key)
}

func TestDeployIssues(t *testing.T) {
	ctx := context.Background()
	const k = "kickoff-240510-alpha"
	r := newKickoffs(t) // main only
	r.Commit("old.txt", "old", "PROJ-9 already in main")
	r.Git("push", "-q", "origin", "main")
	r.Git("checkout", "-q", "-b", k, "main")
	r.Commit("a.txt", "a", "PROJ-1 the dashboard")
	r.Commit("b.txt", "b", "PROJ-2 its chart")
	r.Git("checkout", "-q", "main")
	s := open(t, r.Dir)
	jiraBook := issueBook{
		"PROJ-1": {Key: "PROJ-1", Summary: "Dashboard", Type: "Story", URL: "https://jira/browse/PROJ-1"},
		"PROJ-2": {Key: "PROJ-2", Summary: "Chart", Type: "Bug", URL: "https://jira/browse/PROJ-2"},
	}
	enriched := []ledger.Issue{
		{Key: "PROJ-1", Summary: "Dashboard", URL: "https://jira/browse/PROJ-1", Type: "Story"},
		{Key: "PROJ-2", Summary: "Chart", URL: "https://jira/browse/PROJ-2", Type: "Bug"},
	}
	keysOnly := []ledger.Issue{{Key: "PROJ-1"}, {Key: "PROJ-2"}}

	for _, tc := range []struct {
		name     string
		jira     func() (IssueSource, error)
		want     []ledger.Issue
		warnings int
	}{
		{"without Jira: the keys", nil, keysOnly, 0},
		{"with Jira: summaries and links", func() (IssueSource, error) { return jiraBook, nil }, enriched, 0},
		{"Jira cannot connect: the keys and a warning", func() (IssueSource, error) { return nil, errors.New("no token") }, keysOnly, 1},
		{"Jira does not know an issue: the keys and a warning", func() (IssueSource, error) { return issueBook{}, nil }, keysOnly, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warnings []string
			d := &DeployIssues{Repo: s.Repo, Main: "main", Remote: "origin", Jira: tc.jira,
				Warn: func(msg string) { warnings = append(warnings, msg) }}
			got, err := d.Issues(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Issues = %+v, want %+v", got, tc.want)
			}
			if len(warnings) != tc.warnings {
				t.Errorf("warnings = %q, want %d", warnings, tc.warnings)
			}
		})
	}

	// Only on the remote (a colleague's kickoff): read from the remote-tracking branch.
	r.Git("push", "-q", "origin", k)
	r.Git("branch", "-q", "-D", k)
	d := &DeployIssues{Repo: s.Repo, Main: "main", Remote: "origin"}
	if got, err := d.Issues(ctx, k); err != nil || !reflect.DeepEqual(got, keysOnly) {
		t.Errorf("from the remote: %+v, %v", got, err)
	}
	if _, err := d.Issues(ctx, "kickoff-240511-nowhere"); err == nil || err.Error() != "no branch kickoff-240511-nowhere here" {
		t.Errorf("no such branch: %v", err)
	}
}
