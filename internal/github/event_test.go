package github

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEventPullRequest(t *testing.T) {
	tests := []struct {
		name  string
		event string // "" for no event file
		want  *PullRequest
	}{
		{"no event", "", nil},
		{"push", `{"ref":"refs/heads/main"}`, nil},
		{"pull request", `{"number":7,"pull_request":{"number":7,"head":{"sha":"abc","ref":"feature/PROJ-7"},"base":{"ref":"main"}}}`,
			&PullRequest{Number: 7, HeadSHA: "abc", HeadRef: "feature/PROJ-7", BaseRef: "main"}},
		{"number outside the pull request", `{"number":9,"pull_request":{"head":{"sha":"abc","ref":"f"},"base":{"ref":"main"}}}`,
			&PullRequest{Number: 9, HeadSHA: "abc", HeadRef: "f", BaseRef: "main"}},
		{"from a fork", `{"number":4,"pull_request":{"number":4,"head":{"sha":"abc","ref":"main","repo":{"full_name":"someone/shop"}},"base":{"ref":"main","repo":{"full_name":"acme/shop"}}}}`,
			&PullRequest{Number: 4, HeadSHA: "abc", HeadRef: "main", BaseRef: "main", Fork: true}},
		{"from the same repository", `{"number":5,"pull_request":{"number":5,"head":{"sha":"abc","ref":"f","repo":{"full_name":"acme/shop"}},"base":{"ref":"main","repo":{"full_name":"acme/shop"}}}}`,
			&PullRequest{Number: 5, HeadSHA: "abc", HeadRef: "f", BaseRef: "main"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.event != "" {
				path = filepath.Join(t.TempDir(), "event.json")
				if err := os.WriteFile(path, []byte(tt.event), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := EventPullRequest(path)
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestEventPullRequestUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := EventPullRequest(path); err == nil {
		t.Error("no error for a broken event file")
	}
	if _, err := EventPullRequest(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("no error for a missing event file")
	}
}
