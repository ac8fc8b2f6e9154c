package slot

import (
	"slices"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

// A prune keeps the images of each slot's newest successful deploys (releases and
// rollbacks), whatever the other slots did and whatever failed in between.
func TestKeepDigests(t *testing.T) {
	dep := func(slot, action, outcome, digest string) ledger.Record {
		return ledger.Record{Slot: slot, Action: action, Outcome: outcome, Apps: []ledger.App{{Name: "web", Digest: digest}}}
	}
	recs := []ledger.Record{ // newest first
		dep("dev1", ledger.ActionRelease, ledger.OutcomeRolledBack, "sha256:f1"),
		dep("dev1", ledger.ActionRollback, ledger.OutcomeSucceeded, "sha256:a3"),
		dep("dev2", ledger.ActionRelease, ledger.OutcomeSucceeded, "sha256:b2"),
		{Slot: "dev1", Action: ledger.ActionDown, Outcome: ledger.OutcomeSucceeded},
		dep("dev1", ledger.ActionRelease, ledger.OutcomeSucceeded, "sha256:a2"),
		dep("dev2", ledger.ActionRelease, ledger.OutcomeSucceeded, "sha256:b1"),
		dep("dev1", ledger.ActionRelease, ledger.OutcomeSucceeded, "sha256:a1"),
	}
	for keep, want := range map[int][]string{
		1: {"sha256:a3", "sha256:b2"},
		2: {"sha256:a2", "sha256:a3", "sha256:b1", "sha256:b2"},
		3: {"sha256:a1", "sha256:a2", "sha256:a3", "sha256:b1", "sha256:b2"},
	} {
		var got []string
		for d := range keepDigests(recs, keep) {
			got = append(got, d)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("keep %d: %v, want %v", keep, got, want)
		}
	}
}
