package cli

import (
	"bytes"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

// slotFactory is repoFactory with ann@example.com as the actor the ledger records.
func slotFactory(t *testing.T, dir string) (f *Factory, out, errOut *bytes.Buffer) {
	t.Helper()
	f, out, errOut = repoFactory(t, dir)
	f.Env = append(f.Env, "KICKOFF_ACTOR=ann@example.com")
	return f, out, errOut
}

// seedLedger appends records to the repository's ledger, as earlier commands would have.
func seedLedger(t *testing.T, dir string, recs ...ledger.Record) {
	t.Helper()
	f, _, _ := slotFactory(t, dir)
	st, _, err := openLedger(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if _, err := st.Append(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
}

// deployRecord is a successful release of kickoff to slot: one app, fe, built from commit.
func deployRecord(slot, kickoff, commit string, issues ...string) ledger.Record {
	r := ledger.Record{
		Action: ledger.ActionRelease, Slot: slot, Kickoff: kickoff, Version: "0.1.0", RC: "platform/v0.1.0-rc.1",
		Actor: "ann@example.com", Outcome: ledger.OutcomeSucceeded,
		Apps: []ledger.App{{Name: "fe", Kickoff: kickoff, Commit: commit, Image: "acme/fe:" + kickoff + "-" + commit[:7], Changed: true}},
	}
	for _, k := range issues {
		r.Issues = append(r.Issues, ledger.Issue{Key: k})
	}
	return r
}

func TestClaimText(t *testing.T) {
	for _, tt := range []struct {
		claim *ledger.Claim
		want  string
	}{
		{nil, "-"},
		{&ledger.Claim{For: "kickoff-240510-x", By: "ann@example.com"}, "kickoff-240510-x (ann@example.com)"},
		{&ledger.Claim{For: "kickoff-240510-x", By: "ann@example.com", Until: time.Date(2024, 5, 25, 8, 0, 0, 0, time.FixedZone("KST", 9*3600))},
			"kickoff-240510-x (ann@example.com until 2024-05-24)"}, // the day in UTC
	} {
		if got := claimText(tt.claim); got != tt.want {
			t.Errorf("claimText(%+v) = %q, want %q", tt.claim, got, tt.want)
		}
	}
}
