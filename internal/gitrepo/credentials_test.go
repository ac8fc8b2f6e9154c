package gitrepo_test

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://x:TOKEN@github.com/a/b.git":                       "https://x:***@github.com/a/b.git",
		"https://github.com/a/b.git":                               "https://github.com/a/b.git",
		"https://user@acme.atlassian.net":                          "https://user@acme.atlassian.net",
		"git@github.com:a/b.git":                                   "git@github.com:a/b.git",
		"fetch origin (http://u:p%40ss@h:8080/r.git): refused":     "fetch origin (http://u:***@h:8080/r.git): refused",
		`Get "https://a:b@one/x" then "https://c:d@two/y"`:         `Get "https://a:***@one/x" then "https://c:***@two/y"`,
		"https://:onlypass@host/":                                  "https://:***@host/",
		"no url here: key=value@host":                              "no url here: key=value@host",
		"jira https://me%40acme.io:S3CR3T@acme.atlassian.net/rest": "jira https://me%40acme.io:***@acme.atlassian.net/rest",
	} {
		if got := gitrepo.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
