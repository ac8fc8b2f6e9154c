package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Jira down: the version is still assigned; the Jira step failing is reported with how
// to retry, and the command fails silently (exit 1). In JSON the step says it failed.
func TestVersionJiraStepFails(t *testing.T) {
	jira := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer jira.Close()
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	run := func(o VersionOptions) (string, string, error) {
		t.Helper()
		f, out, errOut := repoFactory(t, r.Dir)
		f.Env = append(f.Env, "KICKOFF_JIRA_URL="+jira.URL, "KICKOFF_JIRA_FIX_VERSION=true",
			"KICKOFF_JIRA_USER=ann@example.com", "KICKOFF_JIRA_TOKEN=secret")
		o.F, o.Ctx = f, t.Context()
		err := versionRun(&o)
		return out.String(), errOut.String(), err
	}

	out, errOut, err := run(VersionOptions{Assign: true})
	if err != ErrSilent || out != "platform/v0.1.0\n" {
		t.Errorf("kickoff version: %q, %v; want the tag and ErrSilent", out, err)
	}
	if !strings.HasPrefix(errOut, "Assigned platform/v0.1.0 to "+k+".\nJira step failed: ") ||
		!strings.HasSuffix(errOut, "The version mapping is saved; re-run `kickoff version "+k+" --assign` to retry the Jira step.\n") {
		t.Errorf("stderr:\n%s", errOut)
	}

	out, _, err = run(VersionOptions{Assign: true, JSON: true})
	var got versionJSON
	decode(t, []byte(out), &got)
	if err != ErrSilent || got.Version != "0.1.0" || got.Jira == nil || got.Jira.Status != "failed" || got.Jira.Error == "" {
		t.Errorf("kickoff version --json: %+v %v", got.Jira, err)
	}

	// --dry-run, and showing, leave Jira alone.
	if _, errOut, err = run(VersionOptions{Assign: true, DryRun: true}); err != nil || strings.Contains(errOut, "Jira") {
		t.Errorf("--dry-run: %q %v", errOut, err)
	}
	if _, errOut, err = run(VersionOptions{}); err != nil || strings.Contains(errOut, "Jira") {
		t.Errorf("show: %q %v", errOut, err)
	}
}
