package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseNamesTheLine(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"main: main\nmian: trunk\n", "line 2: field mian not found"},
		{"remote: origin\nslots: 3\n", "line 2: cannot unmarshal"},
		{"jira:\n  url: [a, b]\n", "line 2: cannot unmarshal"},
	} {
		err := Parse([]byte(tc.yaml), Default())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

func TestEnvOverridesFile(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(dir, []string{"KICKOFF_MAIN=trunk", "KICKOFF_JIRA_URL=https://acme.atlassian.net", "KICKOFF_SLOTS=qa1,qa2"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Main != "trunk" || c.Jira.URL != "https://acme.atlassian.net" || !reflect.DeepEqual(c.Slots, []string{"qa1", "qa2"}) {
		t.Fatalf("env not applied: %+v", c)
	}
}

func TestVersionsTagPrefix(t *testing.T) {
	for _, ok := range []string{"platform/v", "v", "", "release-", "app/platform/v"} {
		c := Default()
		c.Versions.TagPrefix = ok
		if err := c.Validate(); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"platform v", "a..b/", "/v", "-v", "v~", "x:y", "a//b", "v@{"} {
		c := Default()
		c.Versions.TagPrefix = bad
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "versions.tag_prefix") {
			t.Errorf("%q: err = %v, want a versions.tag_prefix error", bad, err)
		}
	}
}

func TestJiraProjects(t *testing.T) {
	c, err := Load(t.TempDir(), []string{"KICKOFF_JIRA_PROJECTS=PROJ,OPS2"})
	if err != nil || !reflect.DeepEqual(c.Jira.Projects, []string{"PROJ", "OPS2"}) {
		t.Fatalf("jira.projects from the environment: %v, %v", c, err)
	}
	for _, bad := range []string{"proj", "PROJ-1", "결제", "P"} {
		c := Default()
		c.Jira.Projects = []string{bad}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "jira.projects") {
			t.Errorf("jira.projects %q: %v", bad, err)
		}
	}
}
