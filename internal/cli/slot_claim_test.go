package cli

import (
	"strings"
	"testing"
	"time"
)

func TestSlotClaimFlags(t *testing.T) {
	got, err := parseFlags(t, newCmdSlotClaim, "dev3", "--for", "kickoff-240510-x", "--until", "2024-05-24", "--note", "UAT", "--force")
	if err != nil || got.Slot != "dev3" || got.For != "kickoff-240510-x" || got.Until != "2024-05-24" || got.Note != "UAT" || !got.Force {
		t.Fatalf("err %v options %+v", err, got)
	}
	for _, args := range [][]string{{"dev3"}, {"dev3", "--for", "PROJ-1"}, {"--for", "kickoff-240510-x"}} {
		wantUsage(t, newCmdSlotClaim, args...)
	}
}

func TestParseUntil(t *testing.T) {
	seoul, _ := time.LoadLocation("Asia/Seoul")
	now := time.Date(2024, 5, 20, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2024-05-24":                time.Date(2024, 5, 25, 0, 0, 0, 0, seoul), // through that day, in the configured zone
		"2024-05-24T18:00:00+09:00": time.Date(2024, 5, 24, 9, 0, 0, 0, time.UTC),
		"48h":                       now.Add(48 * time.Hour),
	} {
		got, err := parseUntil(in, now, seoul)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseUntil(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"tomorrow", "-3h", "2024-13-01"} {
		if _, err := parseUntil(bad, now, seoul); err == nil {
			t.Errorf("parseUntil(%q) accepted", bad)
		}
	}
}

// A claim is recorded under the actor's name; another kickoff's claim over it needs --force.
func TestSlotClaimRun(t *testing.T) {
	const alpha, beta = "kickoff-240510-alpha", "kickoff-240511-beta"
	r := routesRepo(t)
	claim := func(o SlotClaimOptions) (string, error) {
		t.Helper()
		f, _, errOut := slotFactory(t, r.Dir)
		f.Env = append(f.Env, "KICKOFF_TIMEZONE=Asia/Seoul")
		o.F, o.Ctx = f, t.Context()
		err := slotClaimRun(&o)
		return errOut.String(), err
	}

	if _, err := claim(SlotClaimOptions{Slot: "dev1", For: alpha, Until: "tomorrow"}); !isUsage(err) ||
		!strings.Contains(err.Error(), `--until "tomorrow": want a date`) {
		t.Errorf("--until tomorrow: err = %v, want a usage error", err)
	}
	if _, err := claim(SlotClaimOptions{Slot: "dev9", For: alpha}); !isUsage(err) {
		t.Errorf("dev9: err = %v, want a usage error", err)
	}

	msg, err := claim(SlotClaimOptions{Slot: "dev1", For: alpha, Until: "2099-12-01", Note: "UAT with sales"})
	if err != nil || msg != "dev1 claimed for "+alpha+" by ann@example.com\n" {
		t.Fatalf("claim dev1: %v, stderr %q", err, msg)
	}
	f, out, _ := slotFactory(t, r.Dir)
	if err := slotLsRun(&SlotLsOptions{F: f, Ctx: t.Context(), NoHealth: true}); err != nil {
		t.Fatal(err)
	}
	// Through 1 December in Seoul: until 15:00 UTC that day.
	if want := "\t" + alpha + " (ann@example.com until 2099-12-01)\n"; !strings.Contains(out.String(), want) {
		t.Errorf("slot ls after the claim lacks %q:\n%s", want, out)
	}

	if _, err := claim(SlotClaimOptions{Slot: "dev1", For: beta}); err == nil ||
		!strings.Contains(err.Error(), "dev1 is claimed for "+alpha+" by ann@example.com") {
		t.Errorf("claim over another kickoff's claim: err = %v", err)
	}
	if msg, err := claim(SlotClaimOptions{Slot: "dev1", For: beta, Force: true}); err != nil || !strings.HasPrefix(msg, "dev1 claimed for "+beta) {
		t.Errorf("--force: %v, stderr %q", err, msg)
	}
}
