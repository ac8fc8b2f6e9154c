package config

import (
	"strings"
	"testing"
)

func TestRepos(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"repos:\n  fe: {url: git@github.com:acme/fe.git}\n  spring: {url: 'https://github.com/acme/spring.git', path: ../spring}\n", ""},
		{"repos:\n  fe: {url: /srv/git/fe.git}\n  be: {url: file:///srv/git/be.git}\n", ""},
		{"repos:\n  Fe: {url: git@github.com:acme/fe.git}\n", "repos.Fe: repository names are a lowercase letter"},
		{"repos:\n  fe: {path: ../fe}\n", "repos.fe.url: every repository needs the URL"},
		{"repos:\n  fe: {url: 'https://bob:hunter2@github.com/acme/fe.git'}\n", "repos.fe.url: a password in the URL"},
		{"repos:\n  fe: {url: 'ftp://github.com/acme/fe.git'}\n", "the scheme ftp is not one git fetches over"},
		{"repos:\n  fe: {url: '--upload-pack=x'}\n", "is not a git URL"},
		{"repos:\n  fe: {url: git@github.com:acme/fe.git}\n  spring: {url: git@github.com:acme/spring.git}\napps:\n  api: {image: acme/api, port: 80, repo: sprng}\n",
			`apps.api.repo: "sprng" is not a repository under repos: (fe, spring); with repos: set, an app's repo: names one of them (did you mean spring?)`},
		{"repos:\n  fe: {url: git@github.com:acme/fe.git}\napps:\n  web: {image: acme/web, port: 80, repo: fe}\n", ""},
	} {
		c := Default()
		err := Parse([]byte(tc.yaml), c)
		if err == nil {
			err = c.Validate()
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.yaml, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q = %v, want %q", tc.yaml, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the password is repeated: %v", err)
		}
	}
}

// An app's repo: is a name under repos: when that is set, else the URL as before.
func TestAppRepoURL(t *testing.T) {
	c := Default()
	c.Apps = map[string]App{"web": {Image: "w", Repo: "fe"}, "api": {Image: "a"}, "old": {Image: "o", Repo: "git@h:x/old.git"}}
	if got := c.AppRepoURL("old"); got != "git@h:x/old.git" {
		t.Errorf("without repos: AppRepoURL = %q", got)
	}
	c.Repos = map[string]RepoSpec{"fe": {URL: "git@h:x/fe.git"}}
	if got := c.AppRepoURL("web"); got != "git@h:x/fe.git" {
		t.Errorf("AppRepoURL(web) = %q", got)
	}
	if got := c.AppRepoURL("api"); got != "" {
		t.Errorf("AppRepoURL(api) = %q, want this repository", got)
	}
}
