package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseNamesTheLine(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"main: main\nmian: trunk\n", "line 2: unknown key mian (did you mean main?)"},
		{"jira:\n  url: https://acme.atlassian.net\n  tokn: x\n", "line 3: unknown key jira.tokn (did you mean jira.token?)"},
		{"tag_prefix: v\n", "line 1: unknown key tag_prefix (did you mean versions.tag_prefix?)"},
		{"apps:\n  web:\n    imag: acme/web\n", "line 3: unknown key apps.web.imag (did you mean apps.web.image?)"},
		{"routing:\n  zzz: 1\n", "line 2: unknown key routing.zzz; the keys of routing are mode, domain, driver,"},
		{"remote: origin\nslots: 3\n", `line 2: slots: expected a list such as [a, b], not "3"`},
		{"jira:\n  url: [a, b]\n", "line 2: jira.url: expected a single value, not a list"},
		{"ports:\n  base: 이만\n", `line 2: ports.base: expected a whole number, not "이만"`},
		{"apps:\n  web: {image: acme/web, port: 80, health_timeout: 한참}\n", `line 2: apps.web.health_timeout: expected a duration such as 30s or 2m, not "한참"`},
		{"conflicts:\n  fail_on_kickoff: 네\n", `line 2: conflicts.fail_on_kickoff: expected true or false, not "네"`},
		{"jira: https://acme.atlassian.net\n", `line 1: jira: expected a mapping with the keys url, user, token,`},
		{"main: main\n  remote: x\n", "line 2: mapping values are not allowed in this context"},
		{"- main\n", "line 1: the file must be a mapping of keys such as `main: main`, not a list"},
	} {
		err := Parse([]byte(tc.yaml), Default())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want %q", tc.yaml, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "config.") || strings.Contains(err.Error(), "yaml:") || strings.Contains(err.Error(), "!!")) {
			t.Errorf("Parse(%q) = %v: names Go or YAML library words", tc.yaml, err)
		}
	}
}

// Anchors, aliases and merge keys are YAML the schema check follows, not unknown keys.
func TestParseFollowsAliases(t *testing.T) {
	c := Default()
	doc := "x-app: &app {port: 8080, health: /healthz}\napps:\n  web:\n    <<: *app\n    image: acme/web\n"
	if err := Parse([]byte(doc), c); err == nil || !strings.Contains(err.Error(), "unknown key x-app") {
		t.Fatalf("Parse = %v, want x-app refused", err)
	}
	doc = "apps:\n  web: &app\n    image: acme/web\n    port: 8080\n  api:\n    <<: *app\n    image: acme/api\n"
	if err := Parse([]byte(doc), c); err != nil {
		t.Fatal(err)
	}
	if c.Apps["api"].Port != 8080 || c.Apps["api"].Image != "acme/api" {
		t.Errorf("apps = %+v", c.Apps)
	}
}

func TestSuggest(t *testing.T) {
	keys := KeyPaths()
	for _, tc := range []struct{ typed, want string }{
		{"mian", "main"}, {"jira.usr", "jira.user"}, {"versions.bmup", "versions.bump"},
		{"ledger.bucekt", "ledger.bucket"}, {"routing.dmain", "routing.domain"},
		{"zzz", ""}, {"feature.templates", "feature.template"}, {"completely.different", ""},
	} {
		if got := Suggest(tc.typed, keys); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
	if d := distance("sttaus", "status"); d != 1 {
		t.Errorf("distance(sttaus, status) = %d, want 1 (a swap)", d)
	}
	if d := distance("슬롯", "슬롯들"); d != 1 {
		t.Errorf("distance counts letters, not bytes: %d", d)
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
