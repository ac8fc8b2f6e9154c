package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
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
}
