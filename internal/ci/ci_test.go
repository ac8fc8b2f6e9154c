package ci

import (
	"strings"
	"testing"
)

// CI installs exactly a published release: versions with or without "v", pre-releases too;
// never a pseudo-version, build metadata, or anything that is not semver.
func TestReleaseVersion(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.4.0", "1.4.0"},
		{"v1.4.0", "1.4.0"},
		{"v2.0.0-rc.1", "2.0.0-rc.1"},
		{"", ""},
		{"latest", ""},
		{"1.4", ""},
		{"(devel)", ""},
		{"v0.0.0-20241101120000-abcdef123456", ""},
		{"v1.4.1-0.20241101120000-abcdef123456", ""},
		{"1.4.0+dirty", ""},
	} {
		got, err := ReleaseVersion(tc.in)
		if tc.want == "" {
			if err == nil || !strings.Contains(err.Error(), "is not a kickoff release version") {
				t.Errorf("ReleaseVersion(%q) = %q, %v; want an error", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ReleaseVersion(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// Each provider's file names the pinned version and the trunk, and carries the install
// script indented into its block.
func TestRender(t *testing.T) {
	for _, tc := range []struct {
		provider string
		want     []string
	}{
		{GitHub, []string{
			`KICKOFF_VERSION: "1.4.0"`,
			"branches: [trunk, \"kickoff-*\"]",
			"          url=\"" + Releases + "/download/v${KICKOFF_VERSION}\"\n",
			"${{ runner.temp }}/kickoff",
		}},
		{Jenkins, []string{
			"KICKOFF_VERSION = '1.4.0'",
			"          url=\"" + Releases + "/download/v${KICKOFF_VERSION}\"\n",
		}},
	} {
		out, err := Render(tc.provider, Params{Version: "v1.4.0", Main: "trunk"})
		if err != nil {
			t.Fatalf("%s: %v", tc.provider, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s file lacks %q:\n%s", tc.provider, w, out)
			}
		}
		if strings.Contains(string(out), "{{.") || strings.Contains(string(out), "{{indent") {
			t.Errorf("%s: unexpanded template action:\n%s", tc.provider, out)
		}
	}
	// The trunk defaults to main.
	out, err := Render(GitHub, Params{Version: "1.4.0"})
	if err != nil || !strings.Contains(string(out), "branches: [main, ") {
		t.Errorf("default trunk: %v\n%s", err, out)
	}
	if _, err := Render("gitlab", Params{Version: "1.4.0"}); err == nil || !strings.Contains(err.Error(), `no CI template for "gitlab"`) {
		t.Errorf("unknown provider: %v", err)
	}
	if _, err := Render(GitHub, Params{Version: "latest"}); err == nil {
		t.Error("a moving version rendered")
	}
}

func TestIndent(t *testing.T) {
	if got, want := indent(4, "a\n\n  b\n"), "    a\n\n      b\n"; got != want {
		t.Errorf("indent = %q, want %q", got, want)
	}
}
