package jira_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
)

func TestCommentOnceIsIdempotentAcrossPages(t *testing.T) {
	fake, c := fakeWithIssue(t, "PROJ-7", "Story", "Cart")
	ctx := context.Background()
	// More comments than one page of the fake (50), so the marker must be found on page 2.
	for i := 0; i < 60; i++ {
		if err := c.AddComment(ctx, "PROJ-7", fmt.Sprintf("chatter %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	body := "Deployed to dev1 (kickoff:deploy=01ABC:landed)"
	added, err := c.CommentOnce(ctx, "PROJ-7", "kickoff:deploy=01ABC:landed", body)
	if err != nil || !added {
		t.Fatalf("first CommentOnce: added=%v err=%v", added, err)
	}
	all, err := c.Comments(ctx, "PROJ-7")
	if err != nil || len(all) != 61 || all[60].Body != body || all[60].Author != jiratest.User {
		t.Fatalf("Comments: %d, %v; last %+v", len(all), err, all[len(all)-1])
	}
	added, err = c.CommentOnce(ctx, "PROJ-7", "kickoff:deploy=01ABC:landed", body)
	if err != nil || added {
		t.Fatalf("second CommentOnce: added=%v err=%v, want nothing added", added, err)
	}
	if n := len(fake.CommentBodies("PROJ-7")); n != 61 {
		t.Errorf("%d comments, want 61", n)
	}
	if _, err := c.CommentOnce(ctx, "PROJ-7", "marker-missing", body); err == nil {
		t.Error("a body without its marker was accepted")
	}
	if _, err := c.CommentOnce(ctx, "PROJ-404", "m", "m"); !errors.Is(err, jira.ErrNotFound) || !strings.Contains(err.Error(), "PROJ-404") {
		t.Errorf("unknown issue: %v", err)
	}
}
