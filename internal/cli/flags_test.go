package cli

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/spf13/cobra"
)

// parseFlags builds a command with newCmd and executes it on args with a runF that only
// captures the options: it returns them (nil when parsing stopped before runF) and the
// error. Flag errors become usage errors as under the root command.
func parseFlags[O any](t *testing.T, newCmd func(*Factory, func(*O) error) *cobra.Command, args ...string) (*O, error) {
	t.Helper()
	var got *O
	cmd := newCmd(testFactory(), func(o *O) error { got = o; return nil })
	if args == nil {
		args = []string{} // nil would make cobra read the test binary's own arguments
	}
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &FlagError{err} })
	err := cmd.ExecuteContext(context.Background())
	return got, err
}

// isUsage reports whether err is a usage error (exit 2).
func isUsage(err error) bool {
	var fe *FlagError
	return errors.As(err, &fe) && exitCode(err) == ExitUsage
}

// wantUsage fails t unless args make a usage error (exit 2) that never reaches runF.
func wantUsage[O any](t *testing.T, newCmd func(*Factory, func(*O) error) *cobra.Command, args ...string) {
	t.Helper()
	got, err := parseFlags(t, newCmd, args...)
	if got != nil {
		t.Errorf("%q: ran for a usage error", args)
	}
	if !isUsage(err) {
		t.Errorf("%q: err = %v, want a usage error", args, err)
	}
}
