package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// RepoSpec is one of the platform's repositories under repos:.
type RepoSpec struct {
	URL string `yaml:"url"`
	// Path is a local clone of URL to work through (relative to this repository's root);
	// "": a bare clone in the user's cache folder.
	Path string `yaml:"path"`
}

// scpURL is git's scp-like form, user@host:path.
var scpURL = regexp.MustCompile(`^([A-Za-z0-9._~-]+@)?[A-Za-z0-9.-]+:[^/\\]`)

// RepoNames lists the names under repos:, sorted.
func (c *Config) RepoNames() []string { return sortedKeys(c.Repos) }

func sortedKeys[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// AppRepoURL is the URL of the git repository an app is built from: its repo: looked up
// under repos: when that is set, else repo: itself ("": this repository).
func (c *Config) AppRepoURL(app string) string {
	r := c.Apps[app].Repo
	if spec, ok := c.Repos[r]; ok && len(c.Repos) > 0 {
		return spec.URL
	}
	return r
}

// checkRepos validates repos: (names, URLs without credentials) and, when it is set, that
// every app's repo: names one of them.
func (c *Config) checkRepos() error {
	for _, name := range c.RepoNames() {
		spec := c.Repos[name]
		if !IsRepoName(name) {
			return fmt.Errorf("repos.%s: repository names are a lowercase letter, then lowercase letters, digits, dashes and underscores (at most 31)", name)
		}
		if err := CheckRepoURL(spec.URL); err != nil {
			return fmt.Errorf("repos.%s.url: %w", name, err)
		}
		if strings.ContainsRune(spec.Path, 0) || strings.TrimSpace(spec.Path) != spec.Path {
			return fmt.Errorf("repos.%s.path: %q is not a folder path", name, spec.Path)
		}
	}
	if len(c.Repos) == 0 {
		return nil
	}
	for _, app := range c.AppNames() {
		r := c.Apps[app].Repo
		if r == "" {
			continue
		}
		if _, ok := c.Repos[r]; !ok {
			return fmt.Errorf("apps.%s.repo: %q is not a repository under repos: (%s); with repos: set, an app's repo: names one of them%s: declare it there, e.g. repos: {%s: {url: ...}}",
				app, r, strings.Join(c.RepoNames(), ", "), didYouMean(Suggest(r, c.RepoNames())), safeName(r))
		}
	}
	return nil
}

func safeName(s string) string {
	if IsRepoName(s) {
		return s
	}
	return "NAME"
}

// CheckRepoURL accepts what git accepts for a remote: scheme://host/path (ssh, git, http,
// https, file), git's scp-like user@host:path, or a local folder path. A password in it is
// refused: .kickoff.yaml is committed (credentials come from git's helpers, ssh or the
// environment).
func CheckRepoURL(raw string) error {
	switch {
	case raw == "":
		return fmt.Errorf("every repository needs the URL to clone it from, e.g. git@github.com:acme/spring.git")
	case len(raw) > 1024 || strings.ContainsAny(raw, "\x00\n\r\t ") || strings.HasPrefix(raw, "-"):
		return fmt.Errorf("%q is not a git URL (no spaces, control characters or leading dash)", raw)
	}
	if scheme, _, ok := strings.Cut(raw, "://"); ok {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("%q is not a URL: %v", raw, err)
		}
		switch strings.ToLower(scheme) {
		case "ssh", "git", "http", "https", "file":
		default:
			return fmt.Errorf("%q: the scheme %s is not one git fetches over (ssh, git, https, http, file)", raw, scheme)
		}
		if _, has := u.User.Password(); has {
			return fmt.Errorf("a password in the URL would be committed with .kickoff.yaml: remove it, and let git's credential helper, ssh or GITHUB_TOKEN provide it")
		}
		if u.Host == "" && strings.ToLower(scheme) != "file" {
			return fmt.Errorf("%q names no host", raw)
		}
		return nil
	}
	if scpURL.MatchString(raw) && !strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, ".") {
		if user, _, ok := strings.Cut(raw, "@"); ok && strings.Contains(user, ":") {
			return fmt.Errorf("a password in the URL would be committed with .kickoff.yaml: remove it")
		}
	}
	return nil
}
