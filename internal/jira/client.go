package jira

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gojira "github.com/andygrunwald/go-jira"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// Classes of failure; match them with errors.Is.
var (
	ErrNotConfigured = errors.New("jira is not configured")
	ErrUnreachable   = errors.New("jira is unreachable")
	ErrUnauthorized  = errors.New("jira refused the credentials")
	ErrForbidden     = errors.New("jira denied access")
	ErrNotFound      = errors.New("not found in jira")
	// ErrWithheld: the credentials may not go to the configured site (config.CredentialKeys).
	ErrWithheld = errors.New("jira credentials withheld")
)

// Fallback environment variables, read when the kickoff settings
// (jira.user / KICKOFF_JIRA_USER, jira.token / KICKOFF_JIRA_TOKEN) are empty.
const (
	EnvUser  = "JIRA_USER"
	EnvToken = "JIRA_API_TOKEN"
)

// Client talks to one Jira site.
type Client struct {
	base *url.URL
	api  *gojira.Client
}

// Issue is what kickoff needs of a Jira issue.
type Issue struct {
	Key     string `json:"key"`
	Summary string `json:"summary"`
	Type    string `json:"type"`
	Project string `json:"project"`
	Status  string `json:"status,omitempty"`
	URL     string `json:"url"` // the browse page, https://acme.atlassian.net/browse/PROJ-1
}

// New returns a client for the configured site. Credentials: with a user, basic auth with
// user and API token (Jira Cloud); with a token alone, a bearer personal access token (Jira
// Server / Data Center). getenv (may be nil) supplies JIRA_USER / JIRA_API_TOKEN fallbacks.
// hc (may be nil) is the HTTP client whose transport and timeout are used.
func New(cfg config.Jira, getenv func(string) string, hc *http.Client) (*Client, error) {
	if cfg.URL == "" {
		return nil, fmt.Errorf("%w: set jira.url in .kickoff.yaml or KICKOFF_JIRA_URL", ErrNotConfigured)
	}
	if cfg.Withheld != "" {
		return nil, fmt.Errorf("%w: %s", ErrWithheld, cfg.Withheld)
	}
	base, err := url.Parse(strings.TrimRight(cfg.URL, "/") + "/")
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("jira.url %q is not an http(s) URL such as https://acme.atlassian.net", gitrepo.RedactURL(cfg.URL))
	}
	// A user and password written in the URL are credentials like jira.user and jira.token:
	// used when those are unset, and never part of the site shown or linked to.
	if base.User != nil {
		if pass, ok := base.User.Password(); ok && cfg.User == "" && cfg.Token == "" {
			cfg.User, cfg.Token = base.User.Username(), pass
		}
		base.User = nil
	}
	if getenv != nil {
		if cfg.User == "" {
			cfg.User = getenv(EnvUser)
		}
		if cfg.Token == "" {
			cfg.Token = getenv(EnvToken)
		}
	}
	var transport http.RoundTripper = http.DefaultTransport
	timeout := 30 * time.Second
	if hc != nil {
		if hc.Transport != nil {
			transport = hc.Transport
		}
		if hc.Timeout != 0 {
			timeout = hc.Timeout
		}
	}
	transport = &retryTransport{next: transport, policy: retry.Service}
	switch {
	case cfg.User != "":
		transport = &gojira.BasicAuthTransport{Username: cfg.User, Password: cfg.Token, Transport: transport}
	case cfg.Token != "":
		transport = &gojira.PATAuthTransport{Token: cfg.Token, Transport: transport}
	}
	// The transport adds the credentials to every request, redirects included: follow
	// redirects only within the site.
	api, err := gojira.NewClient(&http.Client{Transport: transport, Timeout: timeout, CheckRedirect: config.SameHostRedirect}, base.String())
	if err != nil {
		return nil, fmt.Errorf("jira client: %w", err)
	}
	return &Client{base: base, api: api}, nil
}

// API is the underlying go-jira client, for methods this package adds in other files.
func (c *Client) API() *gojira.Client { return c.api }

// BrowseURL is the web page of an issue.
func (c *Client) BrowseURL(key string) string {
	return c.base.JoinPath("browse", key).String()
}

// Issue looks an issue up by key.
func (c *Client) Issue(ctx context.Context, key string) (Issue, error) {
	is, resp, err := c.api.Issue.GetWithContext(ctx, key, &gojira.GetQueryOptions{Fields: "summary,issuetype,project,status"})
	if err != nil {
		return Issue{}, c.classify("issue "+key, resp, err)
	}
	out := Issue{Key: is.Key, URL: c.BrowseURL(is.Key)}
	if f := is.Fields; f != nil {
		out.Summary = f.Summary
		out.Type = f.Type.Name
		out.Project = f.Project.Key
		if f.Status != nil {
			out.Status = f.Status.Name
		}
	}
	return out, nil
}

// Transition moves an issue through the transition called name (case-insensitive), as
// Jira's workflow offers it. It does nothing when the issue is already in a status of
// that name, and fails naming the available transitions when none matches.
func (c *Client) Transition(ctx context.Context, key, name string) error {
	ts, resp, err := c.api.Issue.GetTransitionsWithContext(ctx, key)
	if err != nil {
		return c.classify("transitions of "+key, resp, err)
	}
	var names []string
	for _, t := range ts {
		if strings.EqualFold(t.Name, name) || strings.EqualFold(t.To.Name, name) {
			resp, err := c.api.Issue.DoTransitionWithContext(ctx, key, t.ID)
			if resp != nil && resp.Body != nil {
				resp.Body.Close()
			}
			if err != nil {
				return c.classify(fmt.Sprintf("move %s to %q", key, t.Name), resp, err)
			}
			return nil
		}
		names = append(names, fmt.Sprintf("%q", t.Name))
	}
	is, err := c.Issue(ctx, key)
	if err == nil && strings.EqualFold(is.Status, name) {
		return nil
	}
	avail := "none"
	if len(names) > 0 {
		avail = strings.Join(names, ", ")
	}
	return fmt.Errorf("jira: %s has no transition %q (available: %s); set jira.transition in .kickoff.yaml, or \"\" to not move issues", key, name, avail)
}

// classify turns a go-jira failure into an error that says what went wrong and what to do,
// wrapping one of the Err* classes. op names what was attempted ("issue PROJ-1").
func (c *Client) classify(op string, resp *gojira.Response, err error) error {
	site := strings.TrimRight(c.base.String(), "/")
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("jira %s: %w", op, err)
	}
	if resp == nil || resp.Response == nil {
		return fmt.Errorf("%w: %s at %s: %v (check jira.url / KICKOFF_JIRA_URL and the network)", ErrUnreachable, op, site, rootCause(err))
	}
	detail := jiraMessage(err)
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return fmt.Errorf("%w (401) for %s at %s: check jira.user and the API token (KICKOFF_JIRA_USER, KICKOFF_JIRA_TOKEN)", ErrUnauthorized, op, site)
	case http.StatusForbidden:
		return fmt.Errorf("%w (403) for %s at %s%s: the user lacks permission", ErrForbidden, op, site, detail)
	case http.StatusNotFound:
		return fmt.Errorf("%s: %w at %s (404)%s: check the key, or that your Jira user can see it", op, ErrNotFound, site, detail)
	}
	return fmt.Errorf("jira %s at %s: HTTP %d%s", op, site, resp.StatusCode, detail)
}

// jiraMessage extracts Jira's own error message, if it sent one.
func jiraMessage(err error) string {
	var je *gojira.Error
	if errors.As(err, &je) {
		if len(je.ErrorMessages) > 0 {
			return ": " + strings.Join(je.ErrorMessages, "; ")
		}
		for k, v := range je.Errors {
			return ": " + k + ": " + v
		}
	}
	return ""
}

func rootCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
