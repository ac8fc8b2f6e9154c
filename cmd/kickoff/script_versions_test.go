package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["versions-repo"] = cmdVersionsRepo
}

// versions-repo [kickoff...] makes $WORK/remote.git (bare) and $WORK/work, a clone with one
// commit on main, and one pushed branch per kickoff name, each with a commit of its own.
// The work tree is left on main.
func cmdVersionsRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("versions-repo does not fail")
	}
	work := ts.MkAbs("work")
	remote := ts.MkAbs("remote.git")
	git := func(dir string, a ...string) {
		cmd := exec.Command("git", a...)
		cmd.Dir = dir
		cmd.Env = scriptEnv(ts)
		if out, err := cmd.CombinedOutput(); err != nil {
			ts.Fatalf("git %s: %v\n%s", strings.Join(a, " "), err, out)
		}
	}
	git(ts.MkAbs("."), "init", "-q", "--bare", "-b", "main", remote)
	git(ts.MkAbs("."), "init", "-q", "-b", "main", work)
	git(work, "remote", "add", "origin", remote)
	ts.Check(os.WriteFile(filepath.Join(work, "README.md"), []byte("hello\n"), 0o644))
	git(work, "add", "README.md")
	git(work, "commit", "-q", "-m", "initial commit")
	git(work, "push", "-q", "-u", "origin", "main")
	for _, k := range args {
		git(work, "checkout", "-q", "-b", k, "main")
		ts.Check(os.WriteFile(filepath.Join(work, k+".txt"), []byte(k+"\n"), 0o644))
		git(work, "add", k+".txt")
		git(work, "commit", "-q", "-m", "start "+k)
		git(work, "push", "-q", "-u", "origin", k)
	}
	git(work, "checkout", "-q", "main")
}

// scriptEnv is the script's environment for commands the script helpers run.
func scriptEnv(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range []string{"HOME", "PATH", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
		"GIT_COMMITTER_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"} {
		env = append(env, k+"="+ts.Getenv(k))
	}
	return env
}

func init() {
	scriptCmds["jira-fixversion"] = cmdJiraFixVersion
}

// jira-fixversion KEY [NAME...] asserts the fake Jira issue's fixVersions are exactly NAMEs;
// jira-fixversion -project PROJ [NAME...] asserts the project's versions are exactly NAMEs.
func cmdJiraFixVersion(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: jira-fixversion KEY [NAME...] | jira-fixversion -project PROJ [NAME...]")
	}
	var got []string
	want := args[1:]
	if args[0] == "-project" {
		if len(args) < 2 {
			ts.Fatalf("usage: jira-fixversion -project PROJ [NAME...]")
		}
		got, want = jiraFake(ts).ProjectVersions(args[1]), args[2:]
	} else {
		got = jiraFake(ts).FixVersions(args[0])
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		ts.Fatalf("%s: have %q, want %q", strings.Join(args[:len(args)-len(want)], " "), got, want)
	}
}
