package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/jira/jiratest"
)

// jiraFakes holds the fake Jira of each running script.
var jiraFakes sync.Map // *testscript.TestScript -> *jiratest.Fake

// jiraFake returns the script's fake Jira, failing the script when `jira start` was not run.
// Other areas' script commands use it to reach the same fake.
func jiraFake(ts *testscript.TestScript) *jiratest.Fake {
	f, ok := jiraFakes.Load(ts)
	if !ok {
		ts.Fatalf("no fake Jira: run `jira start` first")
	}
	return f.(*jiratest.Fake)
}

func init() {
	scriptCmds["jira"] = cmdJira
}

// cmdJira drives a fake Jira (an httptest server speaking REST v2) from a script:
//
//	jira start                      start it; sets KICKOFF_JIRA_URL/USER/TOKEN and $JIRA_URL
//	jira issue KEY TYPE SUMMARY...  add an issue (status "To Do")
//	jira status KEY STATUS          assert the issue's status (! negates)
//	jira respond CODE               answer every request with CODE (0: back to normal)
//	jira stop                       shut it down: Jira becomes unreachable
//	jira called METHOD PATH         assert such a request was received (! negates)
//	jira requests FILE              write every request received, one a line, to FILE
func cmdJira(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: jira start|issue|status|respond|stop|called|requests ...")
	}
	assertOnly := args[0] == "status" || args[0] == "called"
	if neg && !assertOnly {
		ts.Fatalf("jira %s does not support !", args[0])
	}
	switch args[0] {
	case "start":
		f := jiratest.New(nil)
		jiraFakes.Store(ts, f)
		ts.Defer(func() { f.Close(); jiraFakes.Delete(ts) })
		ts.Setenv("KICKOFF_JIRA_URL", f.URL)
		ts.Setenv("KICKOFF_JIRA_USER", jiratest.User)
		ts.Setenv("KICKOFF_JIRA_TOKEN", jiratest.Token)
		ts.Setenv("JIRA_URL", f.URL)
	case "issue":
		if len(args) < 4 {
			ts.Fatalf("usage: jira issue KEY TYPE SUMMARY...")
		}
		jiraFake(ts).AddIssue(args[1], args[2], strings.Join(args[3:], " "))
	case "status":
		if len(args) != 3 {
			ts.Fatalf("usage: jira status KEY STATUS")
		}
		is, ok := jiraFake(ts).Issue(args[1])
		if !ok {
			ts.Fatalf("fake Jira has no issue %s", args[1])
		}
		if (is.Status == args[2]) == neg {
			ts.Fatalf("issue %s has status %q (want %s%q)", args[1], is.Status, map[bool]string{true: "not ", false: ""}[neg], args[2])
		}
	case "respond":
		code, err := strconv.Atoi(args[len(args)-1])
		if len(args) != 2 || err != nil {
			ts.Fatalf("usage: jira respond CODE")
		}
		f := jiraFake(ts)
		f.Mu.Lock()
		f.Status = code
		f.Mu.Unlock()
	case "stop":
		jiraFake(ts).Close()
	case "called":
		if len(args) != 3 {
			ts.Fatalf("usage: jira called METHOD PATH")
		}
		if jiraFake(ts).Called(args[1], args[2]) == neg {
			ts.Fatalf("fake Jira: %s %s called = %v; requests:\n%s", args[1], args[2], !neg, jiraRequests(jiraFake(ts)))
		}
	case "requests":
		if len(args) != 2 {
			ts.Fatalf("usage: jira requests FILE")
		}
		ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), args[1]), []byte(jiraRequests(jiraFake(ts))), 0o644))
	default:
		ts.Fatalf("unknown jira subcommand %q", args[0])
	}
}

func jiraRequests(f *jiratest.Fake) string {
	var b strings.Builder
	for _, r := range f.Requests() {
		b.WriteString(r.String() + "\n")
	}
	return b.String()
}
