package jira_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
)

func TestMyselfAndStatuses(t *testing.T) {
	fake := jiratest.New(t)
	fake.Transitions = append(fake.Transitions, jiratest.Transition{ID: "41", Name: "검토 요청", To: "검토 중"})
	c := newClient(t, fake, jiratest.User, jiratest.Token)
	ctx := context.Background()
	if me, err := c.Myself(ctx); err != nil || me != jiratest.User {
		t.Errorf("Myself = %q, %v", me, err)
	}
	if ss, err := c.Statuses(ctx); err != nil || !slices.Equal(ss, []string{"To Do", "In Progress", "Done", "검토 중"}) {
		t.Errorf("Statuses = %q, %v", ss, err)
	}
	bad := newClient(t, fake, jiratest.User, "wrong")
	if _, err := bad.Myself(ctx); !errors.Is(err, jira.ErrUnauthorized) {
		t.Errorf("Myself with a bad token: %v", err)
	}
}
