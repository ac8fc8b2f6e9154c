package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/github/githubtest"
)

func init() {
	// oldgit DIR VERSION: writes DIR/git, which claims to be git VERSION and passes every
	// other command to the real git (to test the version check without installing one).
	scriptCmds["oldgit"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: oldgit DIR VERSION")
		}
		real, err := exec.LookPath("git")
		ts.Check(err)
		dir := ts.MkAbs(args[0])
		ts.Check(os.MkdirAll(dir, 0o755))
		script := fmt.Sprintf("#!/bin/sh\nif [ \"$1\" = version ]; then echo 'git version %s'; exit 0; fi\nexec %s \"$@\"\n", args[1], real)
		ts.Check(os.WriteFile(filepath.Join(dir, "git"), []byte(script), 0o755))
	}

	// github-fake [deny]: starts a GitHub API fake for this script (token "gh-token"),
	// and sets GITHUB_API_URL, GITHUB_TOKEN and GITHUB_REPOSITORY=acme/shop. With deny,
	// every write answers 403 like a token without permissions.
	scriptCmds["github-fake"] = func(ts *testscript.TestScript, neg bool, args []string) {
		f := githubtest.Start("gh-token")
		ts.Defer(f.Close)
		f.Deny = len(args) == 1 && args[0] == "deny"
		fakes.Lock()
		fakes.m[ts] = f
		fakes.Unlock()
		ts.Setenv("GITHUB_API_URL", f.URL)
		ts.Setenv("GITHUB_TOKEN", "gh-token")
		ts.Setenv("GITHUB_REPOSITORY", "acme/shop")
	}

	// github-pr N HEAD BASE: the fake knows pull request N from branch HEAD (its commit
	// read in the current folder) into BASE, and an Actions event for it is written to
	// $WORK/event.json (GITHUB_EVENT_PATH).
	scriptCmds["github-pr"] = func(ts *testscript.TestScript, neg bool, args []string) {
		f := fakeOf(ts)
		if f == nil || len(args) != 3 {
			ts.Fatalf("usage: github-fake first; github-pr N HEAD BASE")
		}
		n, err := strconv.Atoi(args[0])
		ts.Check(err)
		cmd := exec.Command("git", "rev-parse", args[1])
		cmd.Dir = ts.MkAbs(".")
		out, err := cmd.Output()
		ts.Check(err)
		sha := strings.TrimSpace(string(out))
		f.AddPull(n, githubtest.PullRequest{HeadSHA: sha, HeadRef: args[1], BaseRef: args[2]})
		ev := map[string]any{"action": "synchronize", "number": n, "pull_request": map[string]any{
			"number": n, "head": map[string]any{"sha": sha, "ref": args[1]}, "base": map[string]any{"ref": args[2]},
		}}
		data, _ := json.Marshal(ev)
		path := filepath.Join(ts.Getenv("WORK"), "event.json")
		ts.Check(os.WriteFile(path, data, 0o644))
		ts.Setenv("GITHUB_EVENT_PATH", path)
	}

	// github-tamper-comment N: a person edits the hidden state line of the comment on N.
	scriptCmds["github-tamper-comment"] = func(ts *testscript.TestScript, neg bool, args []string) {
		f := fakeOf(ts)
		if f == nil || len(args) != 1 {
			ts.Fatalf("usage: github-fake first; github-tamper-comment N")
		}
		n, err := strconv.Atoi(args[0])
		ts.Check(err)
		if !f.EditComment(n, func(b string) string { return strings.Replace(b, "kickoff:state v1 ", "kickoff:state v1 !!", 1) }) {
			ts.Fatalf("no comment on %d", n)
		}
	}

	// github-state: prints what was published (check runs with annotations, comments) to
	// stdout, and fails when kickoff sent a malformed or unexpected request.
	scriptCmds["github-state"] = func(ts *testscript.TestScript, neg bool, args []string) {
		f := fakeOf(ts)
		if f == nil {
			ts.Fatalf("github-fake first")
		}
		if ps := f.Problems(); len(ps) > 0 {
			ts.Fatalf("the GitHub fake saw bad requests:\n%s", strings.Join(ps, "\n"))
		}
		runs, comments := f.Snapshot()
		w := ts.Stdout()
		for _, r := range runs {
			fmt.Fprintf(w, "check-run %q head=%s status=%s conclusion=%s title=%q\n", r.Name, r.HeadSHA[:12], r.Status, r.Conclusion, r.Title)
			for _, a := range r.Annotations {
				fmt.Fprintf(w, "annotation %s:%d-%d %s %q %s\n", a.Path, a.StartLine, a.EndLine, a.Level, a.Title, a.Message)
			}
		}
		for _, c := range comments {
			fmt.Fprintf(w, "comment #%d on %d edited=%d\n%s\n", c.ID, c.Issue, c.Edited, c.Body)
		}
	}
}

// fakes holds each running script's GitHub fake (scripts run in parallel).
var fakes = struct {
	sync.Mutex
	m map[*testscript.TestScript]*githubtest.Fake
}{m: map[*testscript.TestScript]*githubtest.Fake{}}

func fakeOf(ts *testscript.TestScript) *githubtest.Fake {
	fakes.Lock()
	defer fakes.Unlock()
	return fakes.m[ts]
}
