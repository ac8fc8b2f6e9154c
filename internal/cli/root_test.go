package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/term"
)

// Run turns errors into exit codes and messages in one place.
func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		args           []string
		code           int
		stdout, stderr string // prefixes
	}{
		{[]string{"--version"}, 0, "kickoff ", ""},
		{[]string{"frobnicate"}, ExitUsage, "", "kickoff: unknown command \"frobnicate\" for \"kickoff\"\nRun 'kickoff --help' for usage.\n"},
		{[]string{"list", "--bogus"}, ExitUsage, "", "kickoff: unknown flag: --bogus\nRun 'kickoff --help' for usage.\n"},
		{[]string{"new"}, ExitUsage, "", "kickoff: kickoff new expects one SUMMARY (quote several words)\n"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		f := &Factory{IO: term.Test(strings.NewReader(""), &out, &errOut), Dir: t.TempDir()}
		if code := Run(context.Background(), f, tt.args); code != tt.code {
			t.Errorf("%q: exit %d, want %d", tt.args, code, tt.code)
		}
		if !strings.HasPrefix(out.String(), tt.stdout) || !strings.HasPrefix(errOut.String(), tt.stderr) {
			t.Errorf("%q: stdout %q, stderr %q; want %q, %q", tt.args, out.String(), errOut.String(), tt.stdout, tt.stderr)
		}
	}
}

func TestBuildInfo(t *testing.T) {
	if got := buildInfo(); !strings.Contains(got, " (commit ") || !strings.Contains(got, ", built ") {
		t.Errorf("buildInfo() = %q", got)
	}
}
