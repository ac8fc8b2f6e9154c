package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry"
	"github.com/kickoffhq/kickoff/internal/slot"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// The slot service records who acts (KICKOFF_ACTOR, else git's identity), reaches ECR
// where KICKOFF_ECR_ENDPOINT says, and comments on Jira issues only with
// jira.comment_on_deploy.
func TestSlotService(t *testing.T) {
	r := routesRepo(t)
	f, _, _ := repoFactory(t, r.Dir)
	// Nothing from the test's own environment names the actor; git's identity does.
	f.Env = append(f.Env, "KICKOFF_ACTOR=", "GITHUB_ACTIONS=", "GITLAB_CI=", "KICKOFF_ECR_ENDPOINT=http://127.0.0.1:4566")
	svc, err := slotService(f)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Actor != "ann@example.com" {
		t.Errorf("actor = %q, want git's ann@example.com", svc.Actor)
	}
	if reg, ok := svc.Images.(*registry.Client); !ok || reg.ECREndpoint != "http://127.0.0.1:4566" || reg.AWSWrap == nil {
		t.Errorf("images = %#v, want the registry at KICKOFF_ECR_ENDPOINT, its ECR calls logged with -v", svc.Images)
	}
	if _, ok := svc.Ledger.(*ledger.FileStore); !ok || jiraIssues(t, svc) {
		t.Errorf("without Jira: ledger %T, issues from Jira %t; want the file ledger alone", svc.Ledger, jiraIssues(t, svc))
	}

	f, _, _ = slotFactory(t, r.Dir)
	f.Env = append(f.Env, "KICKOFF_JIRA_URL=https://acme.atlassian.net", "KICKOFF_JIRA_COMMENT_ON_DEPLOY=true")
	if svc, err = slotService(f); err != nil {
		t.Fatal(err)
	}
	if _, ok := svc.Ledger.(*ledger.Commenting); !ok || svc.Actor != "ann@example.com" || !jiraIssues(t, svc) {
		t.Errorf("jira.comment_on_deploy: ledger %T, actor %q; want comments on Jira issues by ann@example.com", svc.Ledger, svc.Actor)
	}

	f, _, _ = slotFactory(t, r.Dir)
	f.Env = append(f.Env, "KICKOFF_JIRA_URL=ftp://acme", "KICKOFF_JIRA_COMMENT_ON_DEPLOY=true")
	if _, err := slotService(f); err == nil || !strings.HasPrefix(err.Error(), "jira.comment_on_deploy: ") {
		t.Errorf("a Jira URL that cannot work: err = %v, want it named with the setting", err)
	}
}

// jiraIssues reports whether a deploy's issues are looked up in Jira.
func jiraIssues(t *testing.T, svc *slot.Service) bool {
	t.Helper()
	is, ok := svc.Issues.(*platver.DeployIssues)
	if !ok {
		t.Fatalf("issues = %T, want the platform's deploy issues", svc.Issues)
	}
	return is.Jira != nil
}

// A command naming a slot gets the service only for a configured slot; any other is a
// usage error naming the configured ones.
func TestSlotServiceFor(t *testing.T) {
	r := routesRepo(t)
	f, _, _ := repoFactory(t, r.Dir)
	svc, err := slotServiceFor(f, "dev1")
	if err != nil || svc == nil {
		t.Fatalf("slotServiceFor(dev1) = %v, %v", svc, err)
	}
	_, err = slotServiceFor(f, "dev9")
	if exitCode(err) != ExitUsage || !strings.Contains(err.Error(), "dev9") || !strings.Contains(err.Error(), "dev1") {
		t.Errorf("slotServiceFor(dev9) = %v (exit %d), want a usage error naming dev9 and the configured slots", err, exitCode(err))
	}
}
