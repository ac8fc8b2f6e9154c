package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/term"
)

// Flag parsing of the lifecycle commands, without running them (runF captures the options).
func TestLifecycleFlags(t *testing.T) {
	f := &Factory{IO: term.Test(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})}
	run := func(cmd *cobra.Command, args ...string) error {
		cmd.SetArgs(args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &FlagError{err} })
		return cmd.ExecuteContext(context.Background())
	}

	var n *NewOptions
	if err := run(newCmdNew(f, func(o *NewOptions) error { n = o; return nil }), "Admin Dashboard", "--date", "240510", "--from", "v1", "--no-push", "--json"); err != nil {
		t.Fatal(err)
	}
	if n.Summary != "Admin Dashboard" || n.Date != "240510" || n.From != "v1" || !n.NoPush || !n.JSON || n.DryRun {
		t.Errorf("new options = %+v", n)
	}

	var fo *FeatureOptions
	if err := run(newCmdFeature(f, func(o *FeatureOptions) error { fo = o; return nil }), "PROJ-1", "--kickoff", "kickoff-240510-x", "--dry-run"); err != nil {
		t.Fatal(err)
	}
	if fo.Key != "PROJ-1" || fo.Kickoff != "kickoff-240510-x" || !fo.DryRun || fo.NoPush {
		t.Errorf("feature options = %+v", fo)
	}

	var so *SyncOptions
	if err := run(newCmdSync(f, func(o *SyncOptions) error { so = o; return nil }), "--check"); err != nil {
		t.Fatal(err)
	}
	if so.Name != "" || !so.Check {
		t.Errorf("sync options = %+v", so)
	}

	var fi *FinishOptions
	if err := run(newCmdFinish(f, func(o *FinishOptions) error { fi = o; return nil }), "kickoff-240510-x", "--merge"); err != nil {
		t.Fatal(err)
	}
	if fi.Name != "kickoff-240510-x" || !fi.Merge {
		t.Errorf("finish options = %+v", fi)
	}

	var lo *ListOptions
	if err := run(newCmdList(f, func(o *ListOptions) error { lo = o; return nil }), "--all", "--json", "--fetch"); err != nil {
		t.Fatal(err)
	}
	if !lo.All || !lo.JSON || !lo.Fetch {
		t.Errorf("list options = %+v", lo)
	}

	// Wrong argument counts and unknown flags are usage errors (exit 2).
	never := func(string) { t.Error("runF called for a usage error") }
	for _, tc := range []struct {
		cmd  *cobra.Command
		args []string
	}{
		{newCmdNew(f, func(*NewOptions) error { never("new"); return nil }), nil},
		{newCmdNew(f, func(*NewOptions) error { never("new"); return nil }), []string{"a", "b"}},
		{newCmdFeature(f, func(*FeatureOptions) error { never("feature"); return nil }), nil},
		{newCmdSync(f, func(*SyncOptions) error { never("sync"); return nil }), []string{"a", "b"}},
		{newCmdFinish(f, func(*FinishOptions) error { never("finish"); return nil }), nil},
		{newCmdList(f, func(*ListOptions) error { never("list"); return nil }), []string{"--bogus"}},
		{newCmdStatus(f, func(*StatusOptions) error { never("status"); return nil }), []string{"extra"}},
	} {
		err := run(tc.cmd, tc.args...)
		var fe *FlagError
		if !errors.As(err, &fe) || exitCode(err) != ExitUsage {
			t.Errorf("%s %v: err = %v, want a usage error", tc.cmd.Name(), tc.args, err)
		}
	}
}
