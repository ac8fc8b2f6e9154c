package ledger_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestCommentingLandedReplacedIdempotent(t *testing.T) {
	ctx := context.Background()
	fake := jiratest.New(t)
	for _, k := range []string{"PROJ-1", "PROJ-2", "PROJ-3"} {
		fake.AddIssue(k, "Story", "work "+k)
	}
	client, err := jira.New(config.Jira{URL: fake.URL, User: jiratest.User, Token: jiratest.Token}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	st := &ledger.Commenting{Store: ledger.NewFileStore(filepath.Join(t.TempDir(), ledger.FileName)), Jira: client,
		Warn: func(m string) { warnings = append(warnings, m) }}
	app := func(name, k string) ledger.App {
		return ledger.App{Name: name, Kickoff: k, Image: name + ":" + k, Changed: true}
	}

	a, err := st.Append(ctx, ledger.Record{Action: ledger.ActionRelease, Slot: "dev1", Kickoff: "kickoff-a", Version: "1.3.0", RC: "platform/v1.3.0-rc.1",
		Actor: "ann@example.com", Outcome: ledger.OutcomeSucceeded, Apps: []ledger.App{app("spring", "kickoff-a")},
		Issues: []ledger.Issue{{Key: "PROJ-1"}, {Key: "PROJ-2"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := fake.CommentBodies("PROJ-1")
	if len(got) != 1 || !strings.HasPrefix(got[0], "PROJ-1 is on dev1: kickoff-a (platform 1.3.0, platform/v1.3.0-rc.1) deployed by ann@example.com at ") ||
		!strings.HasSuffix(got[0], "[kickoff:deploy="+a.ID+":landed]") {
		t.Fatalf("PROJ-1 comments = %q", got)
	}

	// A failed deploy and a claim change nothing on the slot: no comments.
	st.Append(ctx, ledger.Record{Action: ledger.ActionRelease, Slot: "dev1", Kickoff: "kickoff-x", Outcome: ledger.OutcomeRolledBack, Issues: []ledger.Issue{{Key: "PROJ-3"}}})
	st.Append(ctx, ledger.Record{Action: ledger.ActionClaim, Slot: "dev1", Outcome: ledger.OutcomeSucceeded, Claim: &ledger.Claim{For: "kickoff-b"}})
	if n := len(fake.CommentBodies("PROJ-3")); n != 0 {
		t.Fatalf("PROJ-3 got %d comments from a failed deploy", n)
	}

	b, err := st.Append(ctx, ledger.Record{Action: ledger.ActionRelease, Slot: "dev1", Kickoff: "kickoff-b", Actor: "bo@example.com",
		Outcome: ledger.OutcomeSucceeded, Apps: []ledger.App{app("spring", "kickoff-b")}, Issues: []ledger.Issue{{Key: "PROJ-3"}, {Key: "PROJ-2"}}})
	if err != nil {
		t.Fatal(err)
	}
	p1 := fake.CommentBodies("PROJ-1")
	if len(p1) != 2 || !strings.Contains(p1[1], "PROJ-1 is no longer on dev1: replaced by kickoff-b, by bo@example.com") ||
		!strings.Contains(p1[1], "[kickoff:deploy="+b.ID+":replaced]") {
		t.Errorf("PROJ-1 after kickoff-b = %q", p1)
	}
	if p2 := fake.CommentBodies("PROJ-2"); len(p2) != 2 || !strings.Contains(p2[1], "PROJ-2 is on dev1: kickoff-b deployed") {
		t.Errorf("PROJ-2, brought again by kickoff-b = %q (landed again, not replaced)", p2)
	}
	if p3 := fake.CommentBodies("PROJ-3"); len(p3) != 1 {
		t.Errorf("PROJ-3 = %q", p3)
	}

	// Telling Jira about the same deploy again adds nothing.
	prior, _ := st.Store.List(ctx, ledger.Filter{Slot: "dev1", Limit: -1})
	if n := st.Notify(ctx, prior, b); n != 0 {
		t.Errorf("repeating deploy %s added %d comments", b.ID, n)
	}

	// Slot down: what was there is replaced by nothing.
	d, _ := st.Append(ctx, ledger.Record{Action: ledger.ActionDown, Slot: "dev1", Actor: "cy@example.com", Outcome: ledger.OutcomeSucceeded})
	for _, k := range []string{"PROJ-2", "PROJ-3"} {
		c := fake.CommentBodies(k)
		if last := c[len(c)-1]; !strings.Contains(last, k+" is no longer on dev1: the slot was taken down, by cy@example.com") || !strings.Contains(last, d.ID) {
			t.Errorf("%s after down: %q", k, last)
		}
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}

	// Jira down: the deploy is still recorded, with a warning.
	fake.Mu.Lock()
	fake.Status = 503
	fake.Mu.Unlock()
	r, err := st.Append(ctx, ledger.Record{Action: ledger.ActionRelease, Slot: "dev2", Kickoff: "kickoff-c", Outcome: ledger.OutcomeSucceeded, Issues: []ledger.Issue{{Key: "PROJ-1"}}})
	if err != nil || r.ID == "" {
		t.Fatalf("a Jira outage failed the deploy record: %v", err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "could not comment on Jira (the deploy itself is recorded): PROJ-1:") || !strings.Contains(warnings[0], "503") {
		t.Errorf("warnings = %q", warnings)
	}
}
