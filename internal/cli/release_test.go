package cli

import (
	"testing"
	"time"
)

func TestReleaseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
		check   func(*ReleaseOptions) bool
	}{
		{[]string{"kickoff-240510-x", "--slot", "dev3"}, false, func(o *ReleaseOptions) bool { return o.Kickoff == "kickoff-240510-x" && o.Slot == "dev3" }},
		{[]string{"--slot", "dev1", "--app", "fe=main", "--app", "be=kickoff-240502-y", "--dry-run", "--no-wait", "--force", "--json"}, false,
			func(o *ReleaseOptions) bool {
				return o.Kickoff == "" && len(o.Apps) == 2 && o.Apps[1] == "be=kickoff-240502-y" && o.DryRun && o.NoWait && o.Force && o.JSON
			}},
		{[]string{"kickoff-240510-x"}, true, nil},                 // no --slot
		{[]string{"--slot", "dev1", "--app", "fe"}, true, nil},    // no =REF
		{[]string{"--slot", "dev1", "--app", "=main"}, true, nil}, // no app
		{[]string{"a", "b", "--slot", "dev1"}, true, nil},         // two kickoffs
	}
	for _, tt := range tests {
		got, err := parseFlags(t, newCmdRelease, tt.args...)
		if tt.wantErr {
			if !isUsage(err) {
				t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil || got == nil || !tt.check(got) {
			t.Errorf("%v: err %v, options %+v", tt.args, err, got)
		}
	}
}

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

func TestSlotRollbackAndLogsArgs(t *testing.T) {
	if rb, err := parseFlags(t, newCmdSlotRollback, "dev2", "01HXYZ", "--reason", "bad build"); err != nil || rb.To != "01HXYZ" || rb.Reason != "bad build" {
		t.Fatalf("rollback: %v %+v", err, rb)
	}
	if lg, err := parseFlags(t, newCmdSlotLogs, "dev2", "fe", "-f", "--tail", "5"); err != nil || lg.App != "fe" || !lg.Follow || lg.Tail != 5 {
		t.Fatalf("logs: %v %+v", err, lg)
	}
	wantUsage(t, newCmdSlotRollback, "a", "b", "c")
	wantUsage(t, newCmdSlotLogs, "a", "b", "c")
}
