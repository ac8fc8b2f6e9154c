package kickoff

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"Admin Dashboard", "admin-dashboard", ""},
		{"  admin   dashboard  ", "admin-dashboard", ""},
		{"Café crème", "cafe-creme", ""},
		{"v2 -- API!!", "v2-api", ""},
		{"", "", "empty"},
		{"   ", "", "empty"},
		{"!!! ???", "", "no letters or digits"},
		{"한국어", "", "no letters or digits"},
		{strings.Repeat("ab ", 14), "", "keep it to 40"},       // 41 characters
		{strings.Repeat("a", 40), strings.Repeat("a", 40), ""}, // exactly 40
	} {
		got, err := Slug(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Slug(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Slug(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNameRoundTrip(t *testing.T) {
	n, err := NewName(time.Date(2024, 5, 10, 23, 30, 0, 0, time.FixedZone("KST", 9*3600)), "Admin Dashboard")
	if err != nil {
		t.Fatal(err)
	}
	if n.String() != "kickoff-240510-admin-dashboard" {
		t.Fatalf("name = %s (the date is the day in the given zone)", n)
	}
	back, err := ParseName(n.String())
	if err != nil || back != n {
		t.Fatalf("ParseName = %+v, %v", back, err)
	}
	for _, bad := range []string{"kickoff-2405-x", "kickoff-241399-x", "kickoff-240510-", "kickoff-240510-Admin", "kickoff-240510-a--b", "feature/PROJ-1", "kickoff-240510-" + strings.Repeat("a", 41)} {
		if IsName(bad) {
			t.Errorf("IsName(%q) = true", bad)
		}
	}
}

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

func TestPlanUndoesInReverse(t *testing.T) {
	var log []string
	step := func(name string, fail bool) (func(context.Context) error, func(context.Context) error) {
		return func(context.Context) error {
				if fail {
					return errors.New("boom")
				}
				log = append(log, "do "+name)
				return nil
			}, func(context.Context) error {
				log = append(log, "undo "+name)
				return nil
			}
	}
	var p Plan
	d, u := step("a", false)
	p.Add("step a", d, u)
	d, u = step("b", false)
	p.Add("step b", d, u)
	p.Add("note only", nil, nil)
	d, u = step("c", true)
	p.Add("step c", d, u)
	err := p.Run(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "step c: boom (earlier steps were undone)") {
		t.Fatalf("err = %v", err)
	}
	if got := strings.Join(log, ","); got != "do a,do b,undo b,undo a" {
		t.Fatalf("log = %s", got)
	}
	if !strings.Contains(p.String(), "3. note only") {
		t.Fatalf("plan text:\n%s", p.String())
	}
}

func TestCompareJiraKeys(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int // its sign
	}{
		{"PROJ-2", "PROJ-10", -1},
		{"PROJ-10", "PROJ-9", 1},
		{"PROJ-7", "PROJ-7", 0},
		{"OPS-99", "PROJ-1", -1},
		{"PROJ-1", "OPS-99", 1},
	} {
		got := CompareJiraKeys(tc.a, tc.b)
		if cmp.Compare(got, 0) != tc.want {
			t.Errorf("CompareJiraKeys(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
	}
}
