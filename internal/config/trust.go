package config

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// CredentialKeys are the settings that decide where a credential is sent: the GitHub API
// (GITHUB_TOKEN as a bearer token), the GitHub hosts whose remotes get GITHUB_TOKEN, and the
// Jira site (Jira user and API token). In CI the repository's file is the pull request's own
// copy, written by whoever opened it, so there these keys are taken from the environment only.
var CredentialKeys = []string{"github.api_url", "github.hosts", "jira.url"}

// ciVars are the variables by which CI systems say a build runs there (GitHub Actions,
// Jenkins and most others set CI; a Jenkins pull-request build sets CHANGE_ID).
var ciVars = []string{"GITHUB_ACTIONS", "GITHUB_EVENT_NAME", "CHANGE_ID", "JENKINS_URL", "CI"}

// trust is where settings came from, kept by LoadSources.
type trust struct {
	origin  map[string]origin // key path -> where its value came from (absent: the default)
	env     map[string]string // the environment Load read
	ci      string            // the variable saying this is CI; "" outside CI
	notes   []string          // settings ignored, and why
	unknown []string          // variables and git settings that are no setting
}

// EnvName is the variable that sets key: KICKOFF_ and the key path in capitals.
func EnvName(key string) string {
	return "KICKOFF_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// FromFile reports whether key's value is the repository file's (no later source, the
// user's file, git config, a variable or a flag, overrides it).
func (c *Config) FromFile(key string) bool {
	return c.trust.origin[key].source == FileName
}

// CI names the variable saying kickoff runs in CI ("" outside CI).
func (c *Config) CI() string { return c.trust.ci }

// Notes are the settings kickoff ignored and why, to print once on stderr: names that are
// no setting (Unknown), then settings CI made it ignore.
func (c *Config) Notes() []string { return append(slices.Clone(c.trust.unknown), c.trust.notes...) }

// applyTrust records the environment and, in CI, drops the credential keys the repository's
// file set (jira.url is kept for links, with its credentials withheld), noting each.
func (c *Config) applyTrust(env []string) error {
	c.trust.env = map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			c.trust.env[k] = v
		}
	}
	for _, v := range ciVars {
		if val := c.trust.env[v]; val != "" && val != "false" && val != "0" {
			c.trust.ci = v
			break
		}
	}
	for _, h := range c.GitHub.Hosts {
		if !ValidHost(h) {
			return fmt.Errorf("github.hosts: %q is not a host name (such as github.acme.io; no scheme, path or port)", h)
		}
	}
	if c.trust.ci == "" {
		return nil
	}
	for _, key := range CredentialKeys {
		if !c.FromFile(key) {
			continue
		}
		why := fmt.Sprintf("%s from %s is ignored in CI (%s is set): a pull request's copy of the file could send credentials elsewhere; set %s in the CI environment",
			key, FileName, c.trust.ci, EnvName(key))
		switch key {
		case "github.api_url":
			c.GitHub.APIURL = ""
		case "github.hosts":
			c.GitHub.Hosts = nil
		case "jira.url":
			why = fmt.Sprintf("Jira credentials are withheld: jira.url comes from %s, which a pull request can change, and this is CI (%s is set); set %s in the CI environment",
				FileName, c.trust.ci, EnvName(key))
			c.Jira.Withheld = why
			continue // printed by whoever asks for a Jira client
		}
		c.trust.notes = append(c.trust.notes, why)
	}
	return nil
}

// GitHubAPIURL is the API endpoint GITHUB_TOKEN is sent to ("" = api.github.com):
// KICKOFF_GITHUB_API_URL, else GITHUB_API_URL (GitHub Actions sets it, also on GitHub
// Enterprise), else github.api_url from the file (never in CI: see CredentialKeys).
func (c *Config) GitHubAPIURL() string {
	if _, ok := c.trust.env[EnvName("github.api_url")]; ok {
		return c.GitHub.APIURL
	}
	if v := c.trust.env["GITHUB_API_URL"]; v != "" {
		return v
	}
	return c.GitHub.APIURL
}

// GitHubHosts are the hosts besides github.com whose HTTPS remotes get GITHUB_TOKEN:
// github.hosts, the host of the API in use (GitHub Enterprise serves both) and of
// GITHUB_SERVER_URL (set by GitHub Actions).
func (c *Config) GitHubHosts() []string {
	hosts := slices.Clone(c.GitHub.Hosts)
	for _, u := range []string{c.GitHubAPIURL(), c.trust.env["GITHUB_SERVER_URL"]} {
		p, err := url.Parse(u)
		if err != nil || p.Hostname() == "" || p.Hostname() == "api.github.com" {
			continue
		}
		if h := strings.ToLower(p.Hostname()); !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// Site is a URL without the user and password written in it: what to show and link to.
func Site(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// IsLoopback reports whether a URL's host is this machine (localhost, 127.0.0.0/8, ::1):
// the one place plain HTTP may carry a token, for fakes in tests and local proxies.
func IsLoopback(u *url.URL) bool {
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// SameHostRedirect is an http.Client CheckRedirect for clients whose transport adds
// credentials to every request (go-github's token, go-jira's basic auth): Go strips an
// Authorization header it was given on a redirect to another host, but not one a transport
// adds, so such a redirect is refused instead of followed, and never downgraded to HTTP.
func SameHostRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Host, first.Host) || (first.Scheme == "https" && req.URL.Scheme != "https") {
		return fmt.Errorf("refused a redirect from %s to %s: credentials are only sent to %s", first.Host, Site(req.URL.Scheme+"://"+req.URL.Host), first.Host)
	}
	return nil
}
