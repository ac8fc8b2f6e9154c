package ledger_test

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestActor(t *testing.T) {
	for _, tc := range []struct {
		name        string
		env         []string
		email, user string // git's identity
		want        string
	}{
		{"KICKOFF_ACTOR wins", []string{"KICKOFF_ACTOR=ann@example.com", "GITHUB_ACTIONS=true", "GITHUB_ACTOR=octocat"}, "git@example.com", "Git", "ann@example.com"},
		{"GitHub Actions: who triggered the run", []string{"GITHUB_ACTIONS=true", "GITHUB_ACTOR=octocat", "USER=runner"}, "runner@example.com", "", "octocat"},
		{"GitLab CI: who triggered the run", []string{"GITLAB_CI=true", "GITLAB_USER_EMAIL=bo@example.com", "USER=runner"}, "runner@example.com", "", "bo@example.com"},
		{"not in CI: the git email", []string{"GITHUB_ACTOR=octocat", "USER=cy"}, "cy@example.com", "Cy", "cy@example.com"},
		{"git knows only a name", []string{"USER=cy"}, "", "Cy", "Cy"},
		{"no git identity: the login name", []string{"GITHUB_ACTOR=octocat", "USER=cy"}, "", "", "cy"},
		{"CI without its actor: the git email", []string{"GITHUB_ACTIONS=true", "USER=runner"}, "runner@example.com", "", "runner@example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(key string) string {
				for _, kv := range tc.env {
					if k, v, _ := strings.Cut(kv, "="); k == key {
						return v
					}
				}
				return ""
			}
			if got := ledger.Actor(getenv, func() (string, string) { return tc.email, tc.user }); got != tc.want {
				t.Errorf("Actor = %q, want %q", got, tc.want)
			}
		})
	}
	nobody := func(string) string { return "" }
	if got := ledger.Actor(nobody, func() (string, string) { return "", "" }); !strings.HasPrefix(got, "someone@") && got != "unknown" {
		t.Errorf("Actor with nothing known = %q, want someone@host", got)
	}
}

func TestActorAsksGitOnlyWhenTheEnvironmentIsSilent(t *testing.T) {
	env := func(key string) string { return map[string]string{"KICKOFF_ACTOR": "ann@example.com"}[key] }
	asked := false
	ledger.Actor(env, func() (string, string) { asked = true; return "", "" })
	if asked {
		t.Error("git was asked although KICKOFF_ACTOR names the actor")
	}
}
