package config

import (
	"strings"
	"testing"
	"time"
)

// Every number is range-checked; products are checked without overflowing.
func TestCheckNumbers(t *testing.T) {
	app := func(port int, timeout time.Duration) map[string]App {
		return map[string]App{"web": {Image: "acme/web", Port: port, HealthTimeout: timeout}}
	}
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want string // "" = valid
	}{
		{"defaults", func(c *Config) {}, ""},
		{"huge stride", func(c *Config) { c.Ports = Ports{Base: 1, SlotStride: 1 << 62} }, "ports.slot_stride: 4611686018427387904 is not between 1 and 65535"},
		{"huge base", func(c *Config) { c.Ports.Base = 1 << 62 }, "ports.base: 4611686018427387904 is not a port"},
		{"zero base", func(c *Config) { c.Ports.Base = 0 }, "ports.base: 0 is not a port"},
		{"negative stride", func(c *Config) { c.Ports.SlotStride = -100 }, "ports.slot_stride: -100"},
		// 4 slots x 100 from 65136: the last port is 65535, in range.
		{"last port 65535", func(c *Config) { c.Ports.Base = 65136 }, ""},
		{"last port 65536", func(c *Config) { c.Ports.Base = 65137 }, "ends at port 65536, past 65535"},
		{"app port", func(c *Config) { c.Apps = app(70000, 0) }, "apps.web.port: 70000"},
		{"app port zero", func(c *Config) { c.Apps = app(0, 0) }, "apps.web.port: 0"},
		{"timeout", func(c *Config) { c.Apps = app(80, 2*time.Hour) }, "apps.web.health_timeout: 2h0m0s"},
		{"negative timeout", func(c *Config) { c.Apps = app(80, -time.Second) }, "apps.web.health_timeout: -1s"},
		{"keep", func(c *Config) { c.Ledger.Keep = -1 }, "ledger.keep: -1"},
	} {
		c := Default()
		tc.edit(c)
		err := c.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// The reproduction through the file and the environment.
func TestLoadRefusesPortOverflow(t *testing.T) {
	c := Default()
	if err := Parse([]byte("ports: {base: 1, slot_stride: 4611686018427387904}\n"), c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "ports.slot_stride") {
		t.Errorf("file: err = %v", err)
	}
	_, err := Load(t.TempDir(), []string{"KICKOFF_PORTS_SLOT_STRIDE=4611686018427387904", "KICKOFF_PORTS_BASE=1"})
	if err == nil || !strings.Contains(err.Error(), "ports.slot_stride") {
		t.Errorf("environment: err = %v", err)
	}
}

// Templates are rendered with a sample and the result checked as git checks a branch name.
func TestCheckTemplates(t *testing.T) {
	for _, tc := range []struct{ template, want string }{
		{DefaultFeatureTemplate, ""},
		{"{{kickoff}}/{{key}}", ""},
		{"f/{{kickoff-summary}}/{{key}}-{{summary-slug}}", ""},
		{"x.lock/{{key}}", `makes "x.lock/PROJ-123", which is not a valid branch name: part "x.lock" ends with .lock`},
		{"feature/.{{key}}", `part ".PROJ-123" starts with .`},
		{"feature/{{key}} {{summary-slug}}", "not a valid branch name"},
		{"feature/{{summary-slug}}", "must contain {{key}}"},
		{"feature/{{jira}}", "unknown placeholder {{jira}}"},
	} {
		c := Default()
		c.Feature.Template = tc.template
		err := c.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%q: err = %v, want %q", tc.template, err, tc.want)
		}
	}
}
