package main

import (
	"context"
	"os/exec"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/compose"
)

func init() {
	// slot-locked SLOT: wait (up to a minute) until a deployer holds SLOT's lock on the
	// engine, so a story can start a second deployer knowing which one waits.
	scriptCmds["slot-locked"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: slot-locked SLOT")
		}
		name := lockName(ts, args[0])
		for end := time.Now().Add(time.Minute); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if out, _ := exec.Command("docker", "ps", "-aq", "--filter", "name=^/?"+name+"$").Output(); strings.TrimSpace(string(out)) != "" {
				return
			}
		}
		ts.Fatalf("nobody took the lock of %s within a minute", args[0])
	}
	// slot-lock SLOT ACTOR: leave a lock on SLOT as a deployer ACTOR that died would (its
	// lease an hour long).
	scriptCmds["slot-lock"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: slot-lock SLOT ACTOR")
		}
		now := time.Now()
		_, err := (&compose.Engine{}).CreateLock(context.Background(), lockName(ts, args[0]), compose.LockInfo{
			Actor: args[1], What: "release kickoff-261121-beta", Machine: "laptop-7", PID: 4242, Since: now, Expires: now.Add(time.Hour),
		})
		ts.Check(err)
	}
}

// lockName is the name of the lock container of the script's slot (slot.Service.LockName).
func lockName(ts *testscript.TestScript, slot string) string {
	return "kickoff-lock-" + ts.Getenv("KICKOFF_PROJECT") + "-" + slot
}
