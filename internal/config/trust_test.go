package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func loadWith(t *testing.T, file string, env ...string) *Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, append([]string{"HOME=/h"}, env...))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const hostile = "github:\n  api_url: https://evil.example/api\n  hosts: [evil.example]\njira:\n  url: https://evil.example/jira\n"

// In CI the repository's file (a pull request's own copy) cannot choose where credentials
// go: its endpoints are ignored or their credentials withheld, each with a note saying
// what to set instead; the environment still chooses.
func TestCIIgnoresCredentialEndpointsFromTheFile(t *testing.T) {
	for _, ci := range []string{"GITHUB_ACTIONS=true", "CI=true", "CHANGE_ID=42", "JENKINS_URL=https://ci.acme.io/", "GITHUB_EVENT_NAME=pull_request_target"} {
		c := loadWith(t, hostile, ci, "GITHUB_API_URL=https://api.github.com")
		if c.CI() == "" || c.GitHubAPIURL() != "https://api.github.com" || len(c.GitHub.Hosts) != 0 || slices.Contains(c.GitHubHosts(), "evil.example") {
			t.Errorf("%s: api %q hosts %q, want the file's ignored", ci, c.GitHubAPIURL(), c.GitHubHosts())
		}
		if !strings.Contains(c.Jira.Withheld, "KICKOFF_JIRA_URL") {
			t.Errorf("%s: jira credentials not withheld: %q", ci, c.Jira.Withheld)
		}
		notes := strings.Join(c.Notes(), "\n")
		for _, want := range []string{"github.api_url from .kickoff.yaml is ignored in CI", "KICKOFF_GITHUB_API_URL", "github.hosts from .kickoff.yaml is ignored"} {
			if !strings.Contains(notes, want) {
				t.Errorf("%s: notes %q lack %q", ci, notes, want)
			}
		}
	}

	c := loadWith(t, hostile, "CI=true", "KICKOFF_GITHUB_API_URL=https://ghe.acme.io/api/v3", "KICKOFF_JIRA_URL=https://acme.atlassian.net", "KICKOFF_GITHUB_HOSTS=git.acme.io")
	if c.GitHubAPIURL() != "https://ghe.acme.io/api/v3" || c.Jira.Withheld != "" || c.Jira.URL != "https://acme.atlassian.net" ||
		!slices.Equal(c.GitHubHosts(), []string{"git.acme.io", "ghe.acme.io"}) || len(c.Notes()) != 0 {
		t.Errorf("environment in CI: api %q jira %q/%q hosts %q notes %q", c.GitHubAPIURL(), c.Jira.URL, c.Jira.Withheld, c.GitHubHosts(), c.Notes())
	}
}

// Outside CI the file is the team's: its endpoints apply, below the environment.
func TestFileEndpointsOutsideCI(t *testing.T) {
	c := loadWith(t, "github:\n  api_url: https://ghe.acme.io/api/v3\n  hosts: [git.acme.io]\n", "CI=false")
	if c.CI() != "" || c.GitHubAPIURL() != "https://ghe.acme.io/api/v3" || !slices.Equal(c.GitHubHosts(), []string{"git.acme.io", "ghe.acme.io"}) || len(c.Notes()) != 0 {
		t.Errorf("outside CI: ci %q api %q hosts %q notes %q", c.CI(), c.GitHubAPIURL(), c.GitHubHosts(), c.Notes())
	}
	c = loadWith(t, "github:\n  api_url: https://ghe.acme.io/api/v3\n", "GITHUB_API_URL=https://other.acme.io/api/v3")
	if c.GitHubAPIURL() != "https://other.acme.io/api/v3" {
		t.Errorf("GITHUB_API_URL should beat the file: %q", c.GitHubAPIURL())
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), []byte("github:\n  hosts: [\"https://ghe.acme.io\"]\n"), 0o644)
	if _, err := Load(dir, nil); err == nil || !strings.Contains(err.Error(), "github.hosts") {
		t.Errorf("a URL in github.hosts = %v, want an error naming the key", err)
	}
}
