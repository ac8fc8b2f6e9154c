package ledger

import "os"

// Actor names who acts in the ledger (a record's Actor): KICKOFF_ACTOR when set; in CI the
// person who triggered the run, not the runner's git identity (GITHUB_ACTOR in GitHub
// Actions, GITLAB_USER_EMAIL in GitLab CI); else the git user's email, else its name; else
// the login name (USER); else someone@host. gitIdentity is asked only when the environment
// does not name the actor; it returns "" for what git does not know.
func Actor(getenv func(string) string, gitIdentity func() (email, name string)) string {
	if a := getenv("KICKOFF_ACTOR"); a != "" {
		return a
	}
	if getenv("GITHUB_ACTIONS") == "true" && getenv("GITHUB_ACTOR") != "" {
		return getenv("GITHUB_ACTOR")
	}
	if getenv("GITLAB_CI") == "true" && getenv("GITLAB_USER_EMAIL") != "" {
		return getenv("GITLAB_USER_EMAIL")
	}
	email, name := gitIdentity()
	if email != "" {
		return email
	}
	if name != "" {
		return name
	}
	if u := getenv("USER"); u != "" {
		return u
	}
	if h, err := os.Hostname(); err == nil {
		return "someone@" + h
	}
	return "unknown"
}
