package jira_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
)

func newClient(t *testing.T, fake *jiratest.Fake, user, token string) *jira.Client {
	t.Helper()
	c, err := jira.New(config.Jira{URL: fake.URL, User: user, Token: token}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeWithIssue is a fake Jira holding one issue, and a client of it with the fake's user.
func fakeWithIssue(t *testing.T, key, typ, summary string) (*jiratest.Fake, *jira.Client) {
	t.Helper()
	fake := jiratest.New(t)
	fake.AddIssue(key, typ, summary)
	return fake, newClient(t, fake, jiratest.User, jiratest.Token)
}

func TestIssue(t *testing.T) {
	fake, c := fakeWithIssue(t, "PROJ-123", "Story", "Admin dashboard: user list")

	got, err := c.Issue(context.Background(), "PROJ-123")
	if err != nil {
		t.Fatal(err)
	}
	want := jira.Issue{Key: "PROJ-123", Summary: "Admin dashboard: user list", Type: "Story", Project: "PROJ", Status: "To Do", URL: fake.URL + "/browse/PROJ-123"}
	if got != want {
		t.Fatalf("Issue = %+v\nwant    %+v", got, want)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/rest/api/2/issue/PROJ-123" || !strings.Contains(reqs[0].Query, "fields=") {
		t.Fatalf("requests = %v", reqs)
	}
	if !strings.HasPrefix(reqs[0].Auth, "Basic ") {
		t.Fatalf("auth header = %q, want basic auth", reqs[0].Auth)
	}
}

func TestIssueErrors(t *testing.T) {
	fake := jiratest.New(t)
	fake.AddIssue("PROJ-1", "Bug", "crash")
	ctx := context.Background()

	if _, err := newClient(t, fake, jiratest.User, jiratest.Token).Issue(ctx, "PROJ-404"); !errors.Is(err, jira.ErrNotFound) || !strings.Contains(err.Error(), "PROJ-404") {
		t.Errorf("unknown key: err = %v, want ErrNotFound naming the key", err)
	}
	if _, err := newClient(t, fake, jiratest.User, "wrong").Issue(ctx, "PROJ-1"); !errors.Is(err, jira.ErrUnauthorized) || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad token: err = %v, want ErrUnauthorized", err)
	}
	fake.Mu.Lock()
	fake.Status = 503
	fake.Mu.Unlock()
	if _, err := newClient(t, fake, jiratest.User, jiratest.Token).Issue(ctx, "PROJ-1"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("503: err = %v, want the status named", err)
	}
	c := newClient(t, fake, jiratest.User, jiratest.Token)
	fake.Close()
	if _, err := c.Issue(ctx, "PROJ-1"); !errors.Is(err, jira.ErrUnreachable) {
		t.Errorf("closed server: err = %v, want ErrUnreachable", err)
	}
}

func TestPersonalAccessToken(t *testing.T) {
	fake := jiratest.New(t)
	fake.AddIssue("OPS-7", "Task", "rotate keys")
	c, err := jira.New(config.Jira{URL: fake.URL}, func(k string) string {
		if k == jira.EnvToken {
			return jiratest.Token
		}
		return ""
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Issue(context.Background(), "OPS-7"); err != nil {
		t.Fatal(err)
	}
	if a := fake.Requests()[0].Auth; a != "Bearer "+jiratest.Token {
		t.Fatalf("auth = %q, want the bearer token from %s", a, jira.EnvToken)
	}
}

func TestTransition(t *testing.T) {
	fake, c := fakeWithIssue(t, "PROJ-5", "Story", "export")
	ctx := context.Background()

	if err := c.Transition(ctx, "PROJ-5", "in progress"); err != nil {
		t.Fatal(err)
	}
	if is, _ := fake.Issue("PROJ-5"); is.Status != "In Progress" {
		t.Fatalf("status = %q, want In Progress", is.Status)
	}
	var posted string
	for _, r := range fake.Requests() {
		if r.Method == "POST" {
			posted = r.Body
		}
	}
	if !strings.Contains(posted, `"transition":{"id":"21"}`) {
		t.Fatalf("posted %q", posted)
	}
	// Already there: nothing to do, no error.
	if err := c.Transition(ctx, "PROJ-5", "In Progress"); err != nil {
		t.Fatalf("second transition: %v", err)
	}
	err := c.Transition(ctx, "PROJ-5", "Reviewing")
	if err == nil || !strings.Contains(err.Error(), `"Done"`) {
		t.Fatalf("unknown transition: err = %v, want the available ones listed", err)
	}
	if err := c.Transition(ctx, "PROJ-9", "Done"); !errors.Is(err, jira.ErrNotFound) {
		t.Fatalf("unknown issue: %v", err)
	}
}

func TestNewValidatesURL(t *testing.T) {
	if _, err := jira.New(config.Jira{}, nil, nil); !errors.Is(err, jira.ErrNotConfigured) {
		t.Errorf("no url: %v", err)
	}
	if _, err := jira.New(config.Jira{URL: "acme.atlassian.net"}, nil, nil); err == nil {
		t.Errorf("url without scheme accepted")
	}
}
