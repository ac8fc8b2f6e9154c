package cli

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestGitHubWorkflowIsValidYAML: the workflow parses, runs `kickoff check` with the
// token on pull requests, with full history, the radar's cache restored before it, and
// the permissions publishing needs.
func TestGitHubWorkflowIsValidYAML(t *testing.T) {
	var wf struct {
		On          map[string]any    `yaml:"on"`
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Steps []struct {
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]any    `yaml:"with"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(githubWorkflow), &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Error("not run on pull requests")
	}
	if wf.Permissions["checks"] != "write" || wf.Permissions["pull-requests"] != "write" {
		t.Errorf("permissions %v", wf.Permissions)
	}
	var depth0, cached, check bool
	for _, s := range wf.Jobs["conflicts"].Steps {
		if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["fetch-depth"] == 0 {
			depth0 = true
		}
		if strings.HasPrefix(s.Uses, "actions/cache@") && s.With["path"] == ".git/kickoff" && depth0 && !check {
			cached = true
		}
		if s.Run == "kickoff check" && strings.Contains(s.Env["GITHUB_TOKEN"], "secrets.GITHUB_TOKEN") {
			check = true
		}
	}
	if !depth0 || !cached || !check {
		t.Errorf("full-history checkout %v, radar cache restored after it and before the check %v, kickoff check with the token %v", depth0, cached, check)
	}
}
