package jira_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
)

// A Jira site that redirects elsewhere does not get the credentials carried there, with
// basic auth and with a bearer token alike: the other host sees no request at all.
func TestCredentialsDoNotFollowARedirectToAnotherHost(t *testing.T) {
	var mu sync.Mutex
	var stolen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stolen = append(stolen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	// "localhost" and 127.0.0.1 are two hosts to an HTTP client, as two sites would be.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherURL+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(site.Close)

	for _, cfg := range []config.Jira{
		{URL: site.URL, User: "me@acme.io", Token: "JIRA-SECRET-1"},
		{URL: site.URL, Token: "JIRA-SECRET-2"},
	} {
		c, err := jira.New(cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Issue(context.Background(), "PROJ-1")
		if err == nil || !strings.Contains(err.Error(), "redirect") {
			t.Errorf("Issue through a cross-host redirect = %v, want the redirect refused", err)
		}
	}
	if len(stolen) > 0 {
		t.Fatalf("the other host received %d requests (Authorization %q)", len(stolen), stolen)
	}
}

// A password written in jira.url is used as the credentials and never shown: not in the
// issue's browse URL, not in errors.
func TestPasswordInJiraURL(t *testing.T) {
	fake := jiratest.New(t)
	fake.AddIssue("PROJ-1", "Story", "Login")
	withCreds := strings.Replace(fake.URL, "http://", "http://"+strings.Replace(jiratest.User, "@", "%40", 1)+":"+jiratest.Token+"@", 1)
	c, err := jira.New(config.Jira{URL: withCreds}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	is, err := c.Issue(context.Background(), "PROJ-1")
	if err != nil {
		t.Fatalf("Issue with the URL's credentials: %v", err)
	}
	if is.URL != fake.URL+"/browse/PROJ-1" {
		t.Errorf("browse URL = %q, want it without the user and password", is.URL)
	}
	_, err = c.Issue(context.Background(), "PROJ-404")
	if err == nil || strings.Contains(err.Error(), jiratest.Token) {
		t.Errorf("error %v shows the password", err)
	}
	if _, err := jira.New(config.Jira{URL: "ftp://u:" + jiratest.Token + "@x"}, nil, nil); err == nil || strings.Contains(err.Error(), jiratest.Token) {
		t.Errorf("bad jira.url error %v shows the password", err)
	}
}

// In CI a jira.url from the repository's file gets no credentials: the client is refused,
// saying why.
func TestWithheldCredentials(t *testing.T) {
	_, err := jira.New(config.Jira{URL: "https://evil.example", Withheld: "jira.url comes from .kickoff.yaml"}, func(string) string { return "tok" }, nil)
	if !errors.Is(err, jira.ErrWithheld) || !strings.Contains(err.Error(), ".kickoff.yaml") {
		t.Fatalf("New = %v, want ErrWithheld with the reason", err)
	}
}
