package kickoff

import (
	"strings"
	"testing"
)

func TestFeatureName(t *testing.T) {
	k, _ := ParseName("kickoff-240510-dashboard")
	for _, tc := range []struct{ tmpl, key, summary, want, err string }{
		{DefaultTemplate, "PROJ-123", "Admin dashboard: list users", "feature/PROJ-123-admin-dashboard-list-users", ""},
		{DefaultTemplate, "PROJ-123", "", "feature/PROJ-123", ""},
		{DefaultTemplate, "PROJ-123", "!!!", "feature/PROJ-123", ""},
		{DefaultTemplate, "PROJ-9", "Export of the quarterly revenue report times out", "feature/PROJ-9-export-of-the-quarterly-revenue-report", ""},
		{"{{kickoff-summary}}/{{key}}-{{summary-slug}}", "AB1-2", "Fix it", "dashboard/AB1-2-fix-it", ""},
		{"f/{{kickoff}}/{{key}}", "AB-2", "x", "f/kickoff-240510-dashboard/AB-2", ""},
		{"feature/{{summary-slug}}", "AB-2", "x", "", "must contain {{key}}"},
		{"feature/{{ticket}}", "AB-2", "x", "", "unknown placeholder {{ticket}}"},
		{"feature/{{key}}..{{summary-slug}}", "AB-2", "x", "", "not a valid branch name"},
		{DefaultTemplate, "proj-1", "", "", "not a Jira issue key"},
		{DefaultTemplate, "PROJ1", "", "", "not a Jira issue key"},
		{DefaultTemplate, "1PROJ-1", "", "", "not a Jira issue key"},
	} {
		got, err := FeatureName(tc.tmpl, tc.key, tc.summary, k)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("FeatureName(%q, %q) error = %v, want %q", tc.tmpl, tc.key, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("FeatureName(%q, %q, %q) = %q, %v; want %q", tc.tmpl, tc.key, tc.summary, got, err, tc.want)
		}
	}
	if len(FeatureSlug(strings.Repeat("word ", 30))) > MaxFeatureSlug {
		t.Error("FeatureSlug longer than MaxFeatureSlug")
	}
	if p := FeaturePrefix(DefaultTemplate); p != "feature/" {
		t.Errorf("FeaturePrefix = %q", p)
	}
}

// DefaultTemplate mirrors config.DefaultFeatureTemplate (config is not imported here).
const DefaultTemplate = "feature/{{key}}-{{summary-slug}}"
