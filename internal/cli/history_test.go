package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestHistoryFlags(t *testing.T) {
	got, err := parseFlags(t, newCmdHistory, "--slot", "dev3", "--kickoff", "kickoff-251118-cart", "--app", "spring", "-n", "5", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if got.Slot != "dev3" || got.Kickoff != "kickoff-251118-cart" || got.App != "spring" || got.Limit != 5 || !got.JSON {
		t.Errorf("options = %+v", got)
	}
	if got, err := parseFlags(t, newCmdHistory); err != nil || got.Limit != 100 || got.JSON {
		t.Errorf("defaults: %+v, %v; want -n 100", got, err)
	}
	for _, args := range [][]string{{"-n", "0"}, {"-n", "-3"}, {"dev3"}} {
		wantUsage(t, newCmdHistory, args...)
	}
}

func TestHistoryRun(t *testing.T) {
	const cart, search = "kickoff-240510-cart", "kickoff-240511-search"
	r := routesRepo(t)
	history := func(o HistoryOptions) (string, string, error) {
		t.Helper()
		f, out, errOut := slotFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		if o.Limit == 0 {
			o.Limit = ledger.DefaultLimit
		}
		err := historyRun(&o)
		return out.String(), errOut.String(), err
	}

	out, msg, err := history(HistoryOptions{})
	if err != nil || out != "" || msg != "no records in the ledger match\n" {
		t.Errorf("an empty ledger: %v, stdout %q, stderr %q", err, out, msg)
	}
	if out, _, err := history(HistoryOptions{JSON: true}); err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("an empty ledger --json: %v, %q; want []", err, out)
	}
	if _, _, err := history(HistoryOptions{Slot: "dev9"}); !isUsage(err) {
		t.Errorf("--slot dev9: err = %v, want a usage error", err)
	}

	failed := deployRecord("dev2", search, "bbbbbbbb1")
	failed.Outcome, failed.Version = ledger.OutcomeFailed, ""
	seedLedger(t, r.Dir, deployRecord("dev1", cart, "aaaaaaaa1"), failed,
		ledger.Record{Action: ledger.ActionClaim, Slot: "dev1", Actor: "bob@example.com", Outcome: ledger.OutcomeSucceeded,
			Claim: &ledger.Claim{For: search, By: "bob@example.com"}})

	// Not on a terminal: newest first, the time in RFC 3339, a claim's kickoff in KICKOFF.
	out, _, err = history(HistoryOptions{})
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		rows = append(rows, strings.Split(line, "\t"))
	}
	if err != nil || len(rows) != 3 {
		t.Fatalf("history: %v\n%s", err, out)
	}
	for i, want := range [][]string{
		{"dev1", "claim", "succeeded", search, "-", "bob@example.com"},
		{"dev2", "release", "failed", search, "-", "ann@example.com"},
		{"dev1", "release", "succeeded", cart, "0.1.0", "ann@example.com"},
	} {
		if got := rows[i]; len(got) != 8 || !strings.HasSuffix(got[0], "Z") || strings.Join(got[1:7], " ") != strings.Join(want, " ") || got[7] == "" {
			t.Errorf("row %d = %q, want time, %q, id", i, got, want)
		}
	}

	out, _, err = history(HistoryOptions{Kickoff: cart, JSON: true})
	var recs []ledger.Record
	decode(t, []byte(out), &recs)
	if err != nil || len(recs) != 1 || recs[0].Slot != "dev1" || recs[0].Apps[0].Commit != "aaaaaaaa1" {
		t.Errorf("history --kickoff %s --json = %+v, %v", cart, recs, err)
	}
	if out, _, err := history(HistoryOptions{Slot: "dev1", Limit: 1}); err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(out, "\tclaim\t") {
		t.Errorf("history --slot dev1 -n 1: %v\n%s", err, out)
	}
}

// A ledger record is written by whoever can write the ledger: escape sequences in its text
// reach the terminal as harmless characters, never as commands.
func TestHistoryCleansRecordText(t *testing.T) {
	r := routesRepo(t)
	rec := deployRecord("dev1", "kickoff-240510-cart", "0123456789abcdef")
	rec.Actor = "mallory\x1b]0;owned\x07\x1b[2J"
	seedLedger(t, r.Dir, rec)
	f, out, _ := slotFactory(t, r.Dir)
	if err := historyRun(&HistoryOptions{F: f, Ctx: t.Context(), Limit: ledger.DefaultLimit}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\x07") || !strings.Contains(out.String(), "mallory") {
		t.Errorf("history printed %q, want the actor without control characters", out.String())
	}
}
