package cli

import (
	"testing"
)

// Flag parsing of the lifecycle commands, without running them (runF captures the options).
func TestLifecycleFlags(t *testing.T) {
	n, err := parseFlags(t, newCmdNew, "Admin Dashboard", "--date", "240510", "--from", "v1", "--no-push", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if n.Summary != "Admin Dashboard" || n.Date != "240510" || n.From != "v1" || !n.NoPush || !n.JSON || n.DryRun {
		t.Errorf("new options = %+v", n)
	}

	fo, err := parseFlags(t, newCmdFeature, "PROJ-1", "--kickoff", "kickoff-240510-x", "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if fo.Key != "PROJ-1" || fo.Kickoff != "kickoff-240510-x" || !fo.DryRun || fo.NoPush {
		t.Errorf("feature options = %+v", fo)
	}

	so, err := parseFlags(t, newCmdSync, "--check")
	if err != nil {
		t.Fatal(err)
	}
	if so.Name != "" || !so.Check {
		t.Errorf("sync options = %+v", so)
	}

	fi, err := parseFlags(t, newCmdFinish, "kickoff-240510-x", "--merge")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Name != "kickoff-240510-x" || !fi.Merge {
		t.Errorf("finish options = %+v", fi)
	}

	lo, err := parseFlags(t, newCmdList, "--all", "--json", "--fetch")
	if err != nil {
		t.Fatal(err)
	}
	if !lo.All || !lo.JSON || !lo.Fetch {
		t.Errorf("list options = %+v", lo)
	}

	// Wrong argument counts and unknown flags are usage errors (exit 2), and nothing runs.
	wantUsage(t, newCmdNew)
	wantUsage(t, newCmdNew, "a", "b")
	wantUsage(t, newCmdFeature)
	wantUsage(t, newCmdSync, "a", "b")
	wantUsage(t, newCmdFinish)
	wantUsage(t, newCmdList, "--bogus")
	wantUsage(t, newCmdStatus, "extra")
}
