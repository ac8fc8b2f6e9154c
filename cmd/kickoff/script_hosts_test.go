package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/compose/sshtest"
)

func init() {
	// [ssh]: an OpenSSH server is installed; without one the condition fails the script
	// when KICKOFF_REQUIRE_SSH=1, else it is false (and the script skips).
	scriptConds["ssh"] = func() (bool, error) {
		if err := sshtest.Available(); err != nil {
			if os.Getenv(sshtest.RequireEnv) == "1" {
				return false, fmt.Errorf("%s=1 but %v", sshtest.RequireEnv, err)
			}
			return false, nil
		}
		return true, nil
	}
	// ssh-host: start an sshd on 127.0.0.1 in front of this engine for the script; SSH_HOST
	// is its Docker host (ssh://kickoff-ssh:PORT, an alias of the ssh configuration the
	// script's `ssh` reads), SSHD_LOG its log.
	scriptCmds["ssh-host"] = func(ts *testscript.TestScript, neg bool, args []string) {
		s, err := sshtest.Start()
		ts.Check(err)
		ts.Defer(s.Close)
		ts.Setenv("PATH", s.BinDir+string(os.PathListSeparator)+ts.Getenv("PATH"))
		ts.Setenv("SSH_HOST", s.URL())
		ts.Setenv("SSHD_LOG", s.Log)
	}
	// ssh-logins MIN: the script's sshd accepted at least MIN connections.
	scriptCmds["ssh-logins"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: ssh-logins MIN")
		}
		b, err := os.ReadFile(ts.Getenv("SSHD_LOG"))
		ts.Check(err)
		var min int
		_, err = fmt.Sscan(args[0], &min)
		ts.Check(err)
		if n := strings.Count(string(b), "Accepted publickey"); (n >= min) == neg {
			ts.Fatalf("sshd accepted %d connections, want at least %d", n, min)
		}
	}
}
