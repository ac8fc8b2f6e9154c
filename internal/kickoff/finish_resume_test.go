package kickoff_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// A finish that died after pushing its record (branches all still there) is resumed: the
// record is kept as it is, not written or pushed again, and the branches are deleted.
func TestFinishKeepsTheRecordOfAnInterruptedRun(t *testing.T) {
	g := finishedRepo(t)
	first := planFinish(t, g)
	// Run it up to and including pushing the record, as a killed finish would have.
	var done []string
	for _, s := range first.Plan.Steps {
		if s.Do == nil {
			continue
		}
		if strings.HasPrefix(s.Desc, "delete kickoff-240510-dash") {
			break
		}
		if err := s.Do(context.Background()); err != nil {
			t.Fatalf("%s: %v", s.Desc, err)
		}
		done = append(done, s.Desc)
	}
	rec := g.Git("rev-parse", "refs/kickoff/finished/kickoff-240510-dash")
	if got := g.Git("ls-remote", "origin", "refs/kickoff/finished/*"); !strings.HasPrefix(got, rec) {
		t.Fatalf("record not pushed after %q: %s", done, got)
	}

	again := planFinish(t, g)
	if !again.Resumed || !strings.Contains(strings.Join(again.Notes, "\n"), "resuming an interrupted finish") {
		t.Errorf("plan of the second run: resumed %v, notes %q", again.Resumed, again.Notes)
	}
	plan := strings.Join(again.Plan.Descriptions(), "\n")
	if strings.Contains(plan, "record kickoff-240510-dash as finished") {
		t.Errorf("the second run writes another record:\n%s", plan)
	}
	if err := again.Plan.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if now := g.Git("rev-parse", "refs/kickoff/finished/kickoff-240510-dash"); now != rec {
		t.Errorf("record changed from %s to %s", rec, now)
	}
	if got := g.Git("ls-remote", "origin", "refs/heads/kickoff-*", "refs/heads/feature/*"); got != "" {
		t.Errorf("branches left on origin: %s", got)
	}
	if _, err := env(t, g).PlanFinish(context.Background(), "kickoff-240510-dash", kickoff.FinishOptions{}); err == nil || !strings.Contains(err.Error(), "already finished") {
		t.Errorf("third run: %v", err)
	}
}
