package jira_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
)

func TestEnsureVersionAndFixVersion(t *testing.T) {
	fake := jiratest.New(t)
	fake.AddIssue("PROJ-1", "Story", "dashboard")
	c := newClient(t, fake, jiratest.User, jiratest.Token)
	ctx := context.Background()

	created, err := c.EnsureVersion(ctx, "PROJ", "platform/v1.3.0")
	if err != nil || !created {
		t.Fatalf("EnsureVersion = %v, %v", created, err)
	}
	created, err = c.EnsureVersion(ctx, "PROJ", "platform/v1.3.0")
	if err != nil || created {
		t.Fatalf("EnsureVersion again = %v, %v; want no change", created, err)
	}
	if got := fake.ProjectVersions("PROJ"); !slices.Equal(got, []string{"platform/v1.3.0"}) {
		t.Fatalf("project versions = %v", got)
	}
	changed, err := c.AddFixVersion(ctx, "PROJ-1", "platform/v1.3.0")
	if err != nil || !changed {
		t.Fatalf("AddFixVersion = %v, %v", changed, err)
	}
	changed, err = c.AddFixVersion(ctx, "PROJ-1", "platform/v1.3.0")
	if err != nil || changed {
		t.Fatalf("AddFixVersion again = %v, %v; want no change", changed, err)
	}
	if got := fake.FixVersions("PROJ-1"); !slices.Equal(got, []string{"platform/v1.3.0"}) {
		t.Fatalf("fixVersions = %v", got)
	}
	if _, err := c.EnsureVersion(ctx, "NOPE", "x"); !errors.Is(err, jira.ErrNotFound) {
		t.Fatalf("unknown project: %v", err)
	}
	if _, err := c.AddFixVersion(ctx, "PROJ-1", "never-created"); err == nil {
		t.Fatal("a version the project lacks was accepted")
	}
	fake.Mu.Lock()
	fake.Status = 503
	fake.Mu.Unlock()
	if _, err := c.EnsureVersion(ctx, "PROJ", "platform/v1.4.0"); err == nil {
		t.Fatal("Jira down but no error")
	}
}
