package main

import (
	"errors"
	"os/exec"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
)

func init() {
	// exits CODE PROGRAM ARGS...: runs PROGRAM like exec and fails unless it exits with
	// CODE (usage errors exit 2, failures 1); stdout and stderr are kept for the next checks.
	scriptCmds["exits"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) < 2 {
			ts.Fatalf("usage: exits CODE PROGRAM ARGS...")
		}
		want, err := strconv.Atoi(args[0])
		ts.Check(err)
		got := 0
		if err := ts.Exec(args[1], args[2:]...); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				ts.Fatalf("%s: %v", args[1], err)
			}
			got = ee.ExitCode()
		}
		if got != want {
			ts.Fatalf("%s exited %d, want %d", args[1], got, want)
		}
	}

	// jira-site: starts the fake Jira as `jira start` does, but sets only its address
	// (KICKOFF_JIRA_URL and $JIRA_URL): the user and token come from the story, e.g. from
	// git config or the user's own file.
	scriptCmds["jira-site"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 0 {
			ts.Fatalf("usage: jira-site")
		}
		f := jiratest.New(nil)
		jiraFakes.Store(ts, f)
		ts.Defer(func() { f.Close(); jiraFakes.Delete(ts) })
		ts.Setenv("KICKOFF_JIRA_URL", f.URL)
		ts.Setenv("JIRA_URL", f.URL)
	}

	// github-scopes SCOPES: the GitHub fake answers with X-OAuth-Scopes: SCOPES, as for a
	// classic token ("none": the header empty; "-": no header, as for an Actions token).
	scriptCmds["github-scopes"] = func(ts *testscript.TestScript, neg bool, args []string) {
		f := fakeOf(ts)
		if neg || f == nil || len(args) != 1 {
			ts.Fatalf("usage: github-fake first; github-scopes SCOPES")
		}
		if args[0] == "-" {
			args[0] = ""
		}
		f.SetScopes(args[0])
	}
}
