package main

import (
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["newrepo"] = cmdNewRepo
	scriptCmds["commit"] = cmdCommit
	scriptCmds["waitfile"] = cmdWaitFile
}

// cmdNewRepo makes a work repository with one commit on main:
//
//	newrepo DIR          DIR cloned from a bare remote $WORK/DIR-remote.git (origin), pushed
//	newrepo -local DIR   DIR with no remote
func cmdNewRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("newrepo does not support !")
	}
	local := len(args) == 2 && args[0] == "-local"
	if local {
		args = args[1:]
	}
	if len(args) != 1 {
		ts.Fatalf("usage: newrepo [-local] DIR")
	}
	dir := ts.MkAbs(args[0])
	git := func(args ...string) { ts.Check(ts.Exec("git", args...)) }
	git("init", "-q", "-b", "main", dir)
	ts.Check(os.WriteFile(filepath.Join(dir, "README.md"), []byte("hello\n"), 0o644))
	git("-C", dir, "add", "README.md")
	git("-C", dir, "commit", "-q", "-m", "initial commit")
	if !local {
		remote := dir + "-remote.git"
		git("init", "-q", "--bare", "-b", "main", remote)
		git("-C", dir, "remote", "add", "origin", remote)
		git("-C", dir, "push", "-q", "-u", "origin", "main")
	}
}

// cmdCommit writes a file and commits it on the current branch: commit PATH CONTENT MSG.
func cmdCommit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: commit PATH CONTENT MSG")
	}
	path := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(path), 0o755))
	ts.Check(os.WriteFile(path, []byte(args[1]+"\n"), 0o644))
	ts.Check(ts.Exec("git", "add", "--", args[0]))
	ts.Check(ts.Exec("git", "commit", "-q", "-m", args[2]))
}

// cmdWaitFile waits until a file exists (a background command reached a point), polling
// with a deadline: waitfile PATH.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear within a minute", args[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
