package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// write writes content to dir/name and returns the path.
func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Each source wins over the ones before it: committed file < user file < git config < environment.
func TestLayers(t *testing.T) {
	repo, home := t.TempDir(), t.TempDir()
	write(t, repo, FileName, "main: trunk\njira:\n  url: https://acme.atlassian.net\n  user: team@acme.io\n  transition: 진행 중\nversions:\n  bump: patch\n")
	user := write(t, home, ".config/kickoff/config.yaml", "jira:\n  user: 김철수@acme.io\n  token: from-user-file\nversions:\n  bump: major\n")
	src := Sources{
		Dir: repo, UserFile: user,
		Git: []Setting{{"kickoff.jira.token", "from-git"}, {"kickoff.versions.tag-prefix", "release/v"}, {"kickoff.conflicts.failonkickoff", "true"}},
		Env: []string{"HOME=" + home, "KICKOFF_JIRA_TOKEN=from-env"},
	}
	c, err := LoadSources(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ got, want, origin, wantOrigin string }{
		{c.Main, "trunk", c.Origin("main"), FileName},
		{c.Jira.Transition, "진행 중", c.Origin("jira.transition"), FileName},
		{c.Jira.User, "김철수@acme.io", c.Origin("jira.user"), filepath.Join("~", ".config/kickoff/config.yaml")},
		{c.Versions.Bump, "major", c.Origin("versions.bump"), filepath.Join("~", ".config/kickoff/config.yaml")},
		{c.Versions.TagPrefix, "release/v", c.Origin("versions.tag_prefix"), "git config kickoff.versions.tag-prefix"},
		{c.Jira.Token, "from-env", c.Origin("jira.token"), "KICKOFF_JIRA_TOKEN"},
		{c.Remote, "origin", c.Origin("remote"), ""},
	} {
		if tc.got != tc.want || tc.origin != tc.wantOrigin {
			t.Errorf("got %q from %q, want %q from %q", tc.got, tc.origin, tc.want, tc.wantOrigin)
		}
	}
	if !c.Conflicts.FailOnKickoff {
		t.Errorf("git config kickoff.conflicts.failonkickoff (git lower-cases names) was not applied")
	}
	// Without the variable, git config wins over the user's file.
	src.Env = []string{"HOME=" + home}
	if c, err = LoadSources(src); err != nil || c.Jira.Token != "from-git" {
		t.Errorf("token %q (%v), want git config's", c.Jira.Token, err)
	}
	// A flag wins over everything, and says so.
	c.Main = "develop"
	c.SetOrigin("main", "--main")
	if c.Origin("main") != "--main" || c.FromFile("main") {
		t.Errorf("after --main: origin %q, from file %v", c.Origin("main"), c.FromFile("main"))
	}
}

// A credential in the committed file is refused, naming the line and where it goes instead.
func TestSecretsNotInCommittedFile(t *testing.T) {
	for _, doc := range []string{
		"jira:\n  url: https://acme.atlassian.net\n  token: abc123\n",
		"jira:\n  url: https://bot:hunter2@acme.atlassian.net\n",
	} {
		repo := t.TempDir()
		write(t, repo, FileName, doc)
		_, err := LoadSources(Sources{Dir: repo, Env: []string{}})
		if err == nil || !strings.Contains(err.Error(), ".kickoff.yaml: line ") || !strings.Contains(err.Error(), "git config --global kickoff.jira.token") {
			t.Errorf("%q: err = %v, want a refusal naming the line and git config", doc, err)
		}
		if err != nil && (strings.Contains(err.Error(), "abc123") || strings.Contains(err.Error(), "hunter2")) {
			t.Errorf("the refusal prints the secret: %v", err)
		}
	}
	// The same token in the user's file, git config or the environment is fine.
	repo, home := t.TempDir(), t.TempDir()
	user := write(t, home, "kickoff/config.yaml", "jira:\n  token: abc123\n")
	for _, src := range []Sources{
		{Dir: repo, UserFile: user, Env: []string{}},
		{Dir: repo, Git: []Setting{{"kickoff.jira.token", "abc123"}}, Env: []string{}},
		{Dir: repo, Env: []string{"KICKOFF_JIRA_TOKEN=abc123"}},
	} {
		if c, err := LoadSources(src); err != nil || c.Jira.Token != "abc123" {
			t.Errorf("%+v: token %v, err %v", src, c, err)
		}
	}
}

// Names that look like settings but are none are noted once each, with the nearest setting.
func TestUnknownNamesSuggest(t *testing.T) {
	c, err := LoadSources(Sources{
		Dir:      t.TempDir(),
		Env:      []string{"KICKOFF_JIRA_USR=ann", "KICKOFF_SLOTS=qa1,qa2", "KICKOFF_NETWORK_TIMEOUT=5s", "KICKOFF_ZZZZZZZZZZ=1"},
		Git:      []Setting{{"kickoff.jira.usr", "ann"}, {"kickoff.main", "trunk"}},
		OtherEnv: []string{"KICKOFF_NETWORK_TIMEOUT"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"git config kickoff.jira.usr is not a kickoff setting (did you mean kickoff.jira.user?); ignored",
		"KICKOFF_JIRA_USR is not a kickoff setting (did you mean KICKOFF_JIRA_USER?); ignored",
		"KICKOFF_ZZZZZZZZZZ is not a kickoff setting; ignored",
	}
	if got := c.Unknown(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Unknown() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c.Main != "trunk" || len(c.Slots) != 2 || c.Jira.User != "" {
		t.Errorf("main %q slots %v user %q", c.Main, c.Slots, c.Jira.User)
	}
}

// A value that parses but makes no sense is named where it was set.
func TestValidationNamesTheSource(t *testing.T) {
	repo := t.TempDir()
	write(t, repo, FileName, "main: main\nversions:\n  bump: huge\n")
	for _, tc := range []struct {
		src  Sources
		want string
	}{
		{Sources{Dir: repo, Env: []string{}}, `.kickoff.yaml: line 3: versions.bump: "huge" must be major, minor or patch`},
		{Sources{Dir: repo, Env: []string{"KICKOFF_VERSIONS_BUMP=거대"}}, `KICKOFF_VERSIONS_BUMP: versions.bump: "거대" must be major, minor or patch`},
		{Sources{Dir: repo, Git: []Setting{{"kickoff.versions.bump", "big"}}, Env: []string{}}, `git config kickoff.versions.bump: versions.bump: "big"`},
		{Sources{Dir: repo, Env: []string{"KICKOFF_PORTS_BASE=많이"}}, `KICKOFF_PORTS_BASE="많이": expected a whole number`},
	} {
		_, err := LoadSources(tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
}

func TestUserFile(t *testing.T) {
	env := func(kv ...string) func(string) string { return envLookup(kv) }
	for _, tc := range []struct {
		getenv func(string) string
		want   string
	}{
		{env("XDG_CONFIG_HOME=/x/conf", "HOME=/home/ann"), "/x/conf/kickoff/config.yaml"},
		{env("XDG_CONFIG_HOME=relative", "HOME=/home/ann"), "/home/ann/.config/kickoff/config.yaml"},
		{env("HOME=/home/ann"), "/home/ann/.config/kickoff/config.yaml"},
		{env(), ""},
	} {
		if got := UserFile(tc.getenv); got != tc.want {
			t.Errorf("UserFile = %q, want %q", got, tc.want)
		}
	}
}
