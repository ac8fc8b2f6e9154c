package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/gittest"
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
		{[]string{"list", "--bogus"}, ExitUsage, "", "kickoff: unknown flag: --bogus\nRun 'kickoff list --help' for usage.\n"},
		{[]string{"new"}, ExitUsage, "", "kickoff: kickoff new takes one argument: SUMMARY, or --slug SLUG (got neither); quote a SUMMARY of several words\nRun 'kickoff new --help' for usage.\n"},
		// Mistyped commands and flags are named with the nearest ones, and point to the help of
		// the command they were given to.
		{[]string{"relase"}, ExitUsage, "", "kickoff: unknown command \"relase\" for \"kickoff\" (did you mean \"kickoff release\"?)\nRun 'kickoff --help' for usage.\n"},
		{[]string{"slot", "sttaus"}, ExitUsage, "", "kickoff: unknown command \"sttaus\" for \"kickoff slot\" (did you mean \"kickoff slot status\"?)\nRun 'kickoff slot --help' for usage.\n"},
		{[]string{"slot", "ls", "--jsno"}, ExitUsage, "", "kickoff: unknown flag: --jsno (did you mean --json?)\nRun 'kickoff slot ls --help' for usage.\n"},
		{[]string{"release", "--slto", "dev1"}, ExitUsage, "", "kickoff: unknown flag: --slto (did you mean --slot?)\n"},
		{[]string{"list", "--mian", "trunk"}, ExitUsage, "", "kickoff: unknown flag: --mian (did you mean --main?)\n"},
		// Arguments in plain words.
		{[]string{"init", "설정"}, ExitUsage, "", "kickoff: kickoff init takes no arguments (got \"설정\")\nRun 'kickoff init --help' for usage.\n"},
		{[]string{"release", "kickoff-240510-a", "kickoff-240510-b", "--slot", "dev1"}, ExitUsage, "", "kickoff: kickoff release takes at most one argument: KICKOFF (got 2: \"kickoff-240510-a\" \"kickoff-240510-b\")\nRun 'kickoff release --help' for usage.\n"},
		{[]string{"slot", "diff", "dev1"}, ExitUsage, "", "kickoff: kickoff slot diff takes two arguments: A B (got \"dev1\"); e.g. `kickoff slot diff dev2 dev3`\n"},
		{[]string{"slot", "logs"}, ExitUsage, "", "kickoff: kickoff slot logs takes one or two arguments: SLOT [APP|SERVICE] (got none)\n"},
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

// The interrupt handling runs in a child process (this test binary again) that receives real
// signals: the first cancels the context, a second one ends a step that ignores it.
func TestInterrupt(t *testing.T) {
	if mode := os.Getenv("KICKOFF_INTERRUPT_HELPER"); mode != "" {
		interruptHelper(mode)
		return
	}
	for _, tc := range []struct {
		mode    string
		signals []os.Signal
	}{
		{"watches", []os.Signal{os.Interrupt}},
		{"watches", []os.Signal{syscall.SIGTERM}},
		{"stuck", []os.Signal{os.Interrupt, os.Interrupt}},
	} {
		t.Run(fmt.Sprintf("%s-%d", tc.mode, len(tc.signals)), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestInterrupt$")
			cmd.Env = append(os.Environ(), "KICKOFF_INTERRUPT_HELPER="+tc.mode)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewReader(stdout)
			if line, err := lines.ReadString('\n'); line != "ready\n" {
				t.Fatalf("helper: %q %v; stderr %s", line, err, stderr.String())
			}
			exited := make(chan error, 1)
			go func() { _, _ = io.Copy(io.Discard, lines); exited <- cmd.Wait() }()
			for i, sig := range tc.signals {
				if i > 0 {
					// The stuck step is still running after the first signal.
					select {
					case err := <-exited:
						t.Fatalf("exited after one signal: %v", err)
					case <-time.After(300 * time.Millisecond):
					}
				}
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case err := <-exited:
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != ExitInterrupted {
					t.Fatalf("exit: %v, want code %d; stderr %s", err, ExitInterrupted, stderr.String())
				}
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running 10s after %d signal(s); stderr %s", len(tc.signals), stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupt again to quit at once") {
				t.Errorf("stderr %q does not say how to quit at once", stderr.String())
			}
		})
	}
}

// interruptHelper is the child of TestInterrupt: Main's handling around a step that either
// watches its context or never returns.
func interruptHelper(mode string) {
	ctx, stop := notifyInterrupt(context.Background(), os.Stderr, os.Exit)
	defer stop()
	fmt.Println("ready")
	if mode == "stuck" {
		select {}
	}
	<-ctx.Done()
	os.Exit(interruptedCode(ctx, exitCode(fmt.Errorf("fetch: %w", ctx.Err()))))
}

// A command stopped by Ctrl-C says "interrupted" (not git's "context canceled") and exits 130.
func TestRunInterrupted(t *testing.T) {
	r := gittest.New(t)
	f, out, errOut := repoFactory(t, r.Dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code := Run(ctx, f, []string{"status"}); code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	if errOut.String() != "kickoff: interrupted\n" || out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
}
