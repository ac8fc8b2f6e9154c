package jira_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/jira"
)

func TestEnsureVersionAndFixVersion(t *testing.T) {
	fake, c := fakeWithIssue(t, "PROJ-1", "Story", "dashboard")
	ctx := context.Background()

	changesOnce(t, "EnsureVersion", func() (bool, error) { return c.EnsureVersion(ctx, "PROJ", "platform/v1.3.0") })
	if got := fake.ProjectVersions("PROJ"); !slices.Equal(got, []string{"platform/v1.3.0"}) {
		t.Fatalf("project versions = %v", got)
	}
	changesOnce(t, "AddFixVersion", func() (bool, error) { return c.AddFixVersion(ctx, "PROJ-1", "platform/v1.3.0") })
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

// changesOnce checks an idempotent call: the first changes something, the second nothing.
func changesOnce(t *testing.T, what string, call func() (bool, error)) {
	t.Helper()
	if changed, err := call(); err != nil || !changed {
		t.Fatalf("%s = %v, %v", what, changed, err)
	}
	if changed, err := call(); err != nil || changed {
		t.Fatalf("%s again = %v, %v; want no change", what, changed, err)
	}
}

// Projects asks Jira once for the projects the user can see.
func TestProjects(t *testing.T) {
	fake, c := fakeWithIssue(t, "PROJ-1", "Story", "대시보드")
	fake.AddIssue("OPS-7", "Bug", "cache")
	got, err := c.Projects(context.Background())
	if err != nil || !slices.Equal(got, []string{"OPS", "PROJ"}) {
		t.Fatalf("Projects = %v, %v", got, err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	fake.Mu.Lock()
	fake.Status = 401
	fake.Mu.Unlock()
	if _, err := c.Projects(context.Background()); !errors.Is(err, jira.ErrUnauthorized) {
		t.Errorf("401: %v", err)
	}
}
