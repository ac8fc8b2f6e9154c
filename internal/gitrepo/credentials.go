package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
)

// GitHubHost is where GITHUB_TOKEN is always good for; GitHub Enterprise hosts are added
// with SetGitHubHosts.
const GitHubHost = "github.com"

// ErrRefused is a remote that answered but refused the credentials (HTTP 401 or 403), or
// said the repository does not exist for them (HTTP 404, GitHub's answer for a private
// repository). It is not "offline": working locally would hide a credential to fix.
var ErrRefused = errors.New("the remote refused the credentials")

// SetGitHubHosts names the GitHub Enterprise hosts (besides github.com) whose HTTPS remotes
// get GITHUB_TOKEN. Callers pass only hosts the user chose (their environment or their own
// configuration), never ones a repository's file names in CI.
func (r *Repo) SetGitHubHosts(hosts []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.githubHosts = nil
	for _, h := range hosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			r.githubHosts = append(r.githubHosts, h)
		}
	}
}

func (r *Repo) isGitHubHost(host string) bool {
	host = strings.ToLower(host)
	r.mu.Lock()
	defer r.mu.Unlock()
	return host == GitHubHost || slices.Contains(r.githubHosts, host)
}

// Auth picks credentials the way git users expect, bound to the host they are for: for SSH
// URLs the ssh-agent, else the usual keys in ~/.ssh; for HTTP(S) URLs the user and password
// written in the URL itself, else GITHUB_TOKEN (or GH_TOKEN) but only for HTTPS remotes on
// github.com or a host of SetGitHubHosts, else whatever the configured git credential helper
// answers (git's own per-host configuration); nothing for local paths and file:// URLs.
func (r *Repo) Auth(ctx context.Context, rawURL string, getenv func(string) string) (transport.AuthMethod, error) {
	a, _, err := r.auth(ctx, rawURL, getenv)
	return a, err
}

// auth is Auth, also saying why the GitHub token was withheld ("" when it was not), so that a
// refusal can name the reason.
func (r *Repo) auth(ctx context.Context, rawURL string, getenv func(string) string) (transport.AuthMethod, string, error) {
	ep, err := transport.NewEndpoint(rawURL)
	if err != nil {
		return nil, "", fmt.Errorf("remote URL %q: %w", RedactURL(rawURL), err)
	}
	switch ep.Protocol {
	case "ssh":
		a, err := sshAuth(ep, getenv)
		return a, "", err
	case "http", "https":
		if ep.User != "" && ep.Password != "" {
			return &githttp.BasicAuth{Username: ep.User, Password: ep.Password}, "", nil
		}
		withheld := ""
		if v, tok := githubToken(getenv); tok != "" {
			switch {
			case !r.isGitHubHost(ep.Host):
				withheld = fmt.Sprintf("%s is only sent to GitHub hosts (%s), not to %s: add a GitHub Enterprise host to github.hosts (KICKOFF_GITHUB_HOSTS), or give this host's credentials to git's credential helper", v, r.hostList(), ep.Host)
			case ep.Protocol != "https":
				withheld = fmt.Sprintf("%s is never sent over plain HTTP: use the https:// URL of %s", v, ep.Host)
			default:
				return &githttp.BasicAuth{Username: "x-access-token", Password: tok}, "", nil
			}
		}
		a, err := r.credentialHelper(ctx, ep)
		return a, withheld, err
	}
	return nil, "", nil
}

// githubToken is GITHUB_TOKEN, else GH_TOKEN, and the variable it came from.
func githubToken(getenv func(string) string) (name, token string) {
	for _, v := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if tok := getenv(v); tok != "" {
			return v, tok
		}
	}
	return "", ""
}

func (r *Repo) hostList() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(append([]string{GitHubHost}, r.githubHosts...), ", ")
}

func sshAuth(ep *transport.Endpoint, getenv func(string) string) (transport.AuthMethod, error) {
	user := ep.User
	if user == "" {
		user = "git"
	}
	if getenv("SSH_AUTH_SOCK") != "" {
		if a, err := gitssh.NewSSHAgentAuth(user); err == nil {
			return a, nil
		}
	}
	home := getenv("HOME")
	for _, key := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
		p := filepath.Join(home, ".ssh", key)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		a, err := gitssh.NewPublicKeysFromFile(user, p, "")
		if err != nil {
			return nil, fmt.Errorf("ssh key %s: %w (passphrase-protected keys need ssh-agent: ssh-add %s)", p, err, p)
		}
		return a, nil
	}
	return nil, nil // go-git falls back to its default (the agent), and says what failed
}

// credentialHelper asks `git credential fill` for HTTP(S) credentials. go-git has no
// credential-helper support, so the git binary is used; prompting is disabled so a missing
// credential fails instead of waiting for a terminal. The helper is git's configuration,
// keyed by protocol and host, so what it answers is meant for this URL.
func (r *Repo) credentialHelper(ctx context.Context, ep *transport.Endpoint) (transport.AuthMethod, error) {
	if out, err := r.run(ctx, "config", "--get-all", "credential.helper"); err != nil || strings.TrimSpace(out) == "" {
		return nil, nil
	}
	u := url.URL{Scheme: ep.Protocol, Host: ep.Host, Path: ep.Path}
	if ep.Port != 0 {
		u.Host = fmt.Sprintf("%s:%d", ep.Host, ep.Port)
	}
	cmd := Command(ctx, r.Root, "credential", "fill")
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	cmd.Stdin = strings.NewReader("url=" + u.String() + "\n\n")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return nil, nil
	}
	var user, pass string
	for _, line := range strings.Split(out.String(), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "username":
			user = v
		case "password":
			pass = v
		}
	}
	if pass == "" {
		return nil, nil
	}
	return &githttp.BasicAuth{Username: user, Password: pass}, nil
}

// refused wraps a transport error that means the remote answered "not with these
// credentials" in ErrRefused, saying what to fix; other errors are returned as they are.
// A missing repository counts only over HTTP(S), where the host answered; for a local path
// it means the path is gone, which is "unreachable".
func refused(err error, rawURL, withheld string) error {
	notFound := errors.Is(err, transport.ErrRepositoryNotFound) && isHTTP(rawURL)
	if !errors.Is(err, transport.ErrAuthenticationRequired) && !errors.Is(err, transport.ErrAuthorizationFailed) && !notFound {
		return err
	}
	return &refusedError{err: err, withheld: withheld}
}

type refusedError struct {
	err      error
	withheld string
}

func (e *refusedError) Error() string {
	what := "the remote has no such repository, or not for these credentials (404)"
	switch {
	case errors.Is(e.err, transport.ErrAuthenticationRequired):
		what = "the remote asks for credentials (401)"
	case errors.Is(e.err, transport.ErrAuthorizationFailed):
		what = "the remote refused these credentials (403)"
	}
	fix := "check the URL (git remote -v) and the credentials: GITHUB_TOKEN for GitHub, else git's credential helper or ssh key"
	if e.withheld != "" {
		fix = e.withheld
	}
	return fmt.Sprintf("%s: %s", what, fix)
}
func (e *refusedError) Unwrap() []error { return []error{ErrRefused, e.err} }

// gitRefused reads the git binary's stderr for the same refusals as refused.
func gitRefused(stderr string) bool {
	for _, s := range []string{"Authentication failed", "could not read Username", "could not read Password",
		"returned error: 401", "returned error: 403", "returned error: 404", "Repository not found", "Permission denied"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// userinfoRe finds the password of a URL in free text (scheme://user:password@).
var userinfoRe = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^/@:\s"']*):[^/@\s"']*@`)

// RedactURL is a URL to show: any password replaced by ***. It is the one redactor for every
// URL kickoff prints (remotes, jira.url), and also works on text containing URLs.
func RedactURL(s string) string {
	return userinfoRe.ReplaceAllString(s, "$1:***@")
}

func isHTTP(rawURL string) bool {
	ep, err := transport.NewEndpoint(rawURL)
	return err == nil && (ep.Protocol == "http" || ep.Protocol == "https")
}
