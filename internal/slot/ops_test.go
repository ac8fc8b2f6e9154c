package slot

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

// Which deploy a rollback returns to, from the slot's records newest first.
func TestRollbackTarget(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	n := 0
	apps := func(fp string) []ledger.App {
		if fp == "" {
			return nil
		}
		return []ledger.App{{Name: "fe", Digest: fp}}
	}
	rec := func(action, outcome, compose string) ledger.Record {
		n++
		at := t0.Add(time.Duration(n) * time.Minute)
		return ledger.Record{ID: ledger.NewID(at), Time: at, Action: action, Slot: "dev1", Outcome: outcome, Fingerprint: compose, Apps: apps(compose)}
	}
	a := rec(ledger.ActionRelease, ledger.OutcomeSucceeded, "a")
	b := rec(ledger.ActionRelease, ledger.OutcomeSucceeded, "b")
	failed := rec(ledger.ActionRelease, ledger.OutcomeRolledBack, "c")
	claim := rec(ledger.ActionClaim, ledger.OutcomeSucceeded, "")
	againA := rec(ledger.ActionRelease, ledger.OutcomeSucceeded, "a")
	down := rec(ledger.ActionDown, ledger.OutcomeSucceeded, "")
	for _, tc := range []struct {
		name string
		recs []ledger.Record // oldest first
		id   string
		want string // the target's id, or a part of the error
	}{
		{"nothing deployed", nil, "", "dev1 has no earlier deploy to roll back to"},
		{"only the current deploy", []ledger.Record{a}, "", "no earlier deploy"},
		{"the deploy before", []ledger.Record{a, b}, "", a.ID},
		{"failed deploys are skipped", []ledger.Record{a, b, failed}, "", a.ID},
		{"the same model as now is skipped", []ledger.Record{a, b, againA}, "", b.ID},
		{"after a down, the last deploy", []ledger.Record{a, b, down}, "", b.ID},
		{"by id", []ledger.Record{a, b, againA}, a.ID, a.ID},
		{"an id that is no deploy", []ledger.Record{a, claim}, claim.ID, "is a claim that succeeded"},
		{"an id that is not there", []ledger.Record{a}, "01XXXXXXXXXXXXXXXXXXXXXXXX", "no deploy 01XXXXXXXXXXXXXXXXXXXXXXXX on dev1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newestFirst := slices.Clone(tc.recs)
			slices.Reverse(newestFirst)
			st, _ := ledger.State(ledger.States(tc.recs, []string{"dev1"}, t0), "dev1")
			got, err := rollbackTarget(st, newestFirst, tc.id)
			switch {
			case err != nil && !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %q, want %q", err, tc.want)
			case err == nil && got.ID != tc.want:
				t.Errorf("target %s (%s), want %s", got.ID, got.Fingerprint, tc.want)
			}
		})
	}
}
