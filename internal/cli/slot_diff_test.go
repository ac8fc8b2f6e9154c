package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

func TestSlotDiffFlags(t *testing.T) {
	if d, err := parseFlags(t, newCmdSlotDiff, "dev2", "dev3", "--json"); err != nil || d.A != "dev2" || d.B != "dev3" || !d.JSON {
		t.Errorf("slot diff: %+v, %v", d, err)
	}
	for _, args := range [][]string{{"dev2"}, {"dev1", "dev2", "dev3"}} {
		wantUsage(t, newCmdSlotDiff, args...)
	}
}

func TestSlotDiffRun(t *testing.T) {
	const cart, search = "kickoff-240510-cart", "kickoff-240511-search"
	r := routesRepo(t)
	diff := func(o SlotDiffOptions) (string, string, error) {
		t.Helper()
		f, out, errOut := slotFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		err := slotDiffRun(&o)
		return out.String(), errOut.String(), err
	}

	// Two empty slots are the same.
	out, msg, err := diff(SlotDiffOptions{A: "dev1", B: "dev2"})
	if err != nil || msg != "neither dev1 nor dev2 has apps deployed\n" || out != "dev1 and dev2 run the same apps and issues\n" {
		t.Errorf("two empty slots: %v\nstdout %q\nstderr %q", err, out, msg)
	}
	if _, _, err := diff(SlotDiffOptions{A: "dev1", B: "prod"}); !isUsage(err) || !strings.Contains(err.Error(), `unknown slot "prod"`) {
		t.Errorf("prod: err = %v, want a usage error", err)
	}

	seedLedger(t, r.Dir, deployRecord("dev1", cart, "aaaaaaaa1", "PROJ-12", "PROJ-15"), deployRecord("dev2", search, "bbbbbbbb1", "PROJ-20"))
	out, _, err = diff(SlotDiffOptions{A: "dev1", B: "dev2"})
	want := "fe\t" + cart + " 0.1.0 aaaaaaaa1 acme/fe:" + cart + "-aaaaaaa\t" + search + " 0.1.0 bbbbbbbb1 acme/fe:" + search + "-bbbbbbb\tdiffers\n" +
		"dev1 has PROJ-12 and PROJ-15, dev2 doesn't\n" +
		"dev2 has PROJ-20, dev1 doesn't\n"
	if err != nil || out != want {
		t.Errorf("slot diff dev1 dev2: %v\n%s\nwant:\n%s", err, out, want)
	}

	out, _, err = diff(SlotDiffOptions{A: "dev2", B: "dev1", JSON: true})
	var d struct {
		A, B  string
		Same  bool
		OnlyA []struct{ Key string } `json:"only_a"`
		Apps  []struct {
			App  string
			Same bool
		}
	}
	decode(t, []byte(out), &d)
	if err != nil || d.A != "dev2" || d.B != "dev1" || d.Same || len(d.Apps) != 1 || d.Apps[0].App != "fe" || d.Apps[0].Same ||
		len(d.OnlyA) != 1 || d.OnlyA[0].Key != "PROJ-20" {
		t.Errorf("slot diff dev2 dev1 --json = %+v, %v", d, err)
	}
}

func TestIssueList(t *testing.T) {
	for keys, want := range map[string]string{
		"PROJ-1":               "PROJ-1",
		"PROJ-1 PROJ-2":        "PROJ-1 and PROJ-2",
		"PROJ-1 PROJ-2 PROJ-3": "PROJ-1, PROJ-2 and PROJ-3",
	} {
		var is []ledger.Issue
		for _, k := range strings.Fields(keys) {
			is = append(is, ledger.Issue{Key: k})
		}
		if got := issueList(is); got != want {
			t.Errorf("issueList(%s) = %q, want %q", keys, got, want)
		}
	}
}
