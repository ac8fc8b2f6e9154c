package github

import (
	"net/url"
	"strings"
)

// RepositoryOf reads "owner/name" from a git remote URL (https://host/owner/name.git,
// git@host:owner/name.git, ssh://git@host/owner/name): outside Actions (Jenkins, a
// laptop) GITHUB_REPOSITORY is not set, and the remote names the repository.
func RepositoryOf(remoteURL string) (string, bool) {
	path := ""
	if u, err := url.Parse(remoteURL); err == nil && u.Scheme != "" && u.Host != "" {
		path = u.Path
	} else if at, rest, ok := strings.Cut(remoteURL, ":"); ok && !strings.Contains(at, "/") {
		path = rest // scp-like: git@host:owner/name.git
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	owner, name, ok := strings.Cut(path, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return owner + "/" + name, true
}
