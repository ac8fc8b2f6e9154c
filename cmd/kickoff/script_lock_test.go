package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
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

// requestLoops are the request loops scripts started, by $WORK and name.
var requestLoops sync.Map

type requestLoop struct {
	stop     chan struct{}
	done     chan struct{}
	requests int
	errs     map[string]int
	versions map[string]int
}

func init() {
	// request-loop start NAME URL: ask URL over and over (every 5ms, for at most three
	// minutes), as the users of a slot would; request-loop stop NAME prints how many
	// requests were made, how many failed (and why), and which app versions answered.
	scriptCmds["request-loop"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) < 2 || args[0] == "start" && len(args) != 3 {
			ts.Fatalf("usage: request-loop start NAME URL | request-loop stop NAME")
		}
		key := ts.Getenv("WORK") + "\x00" + args[1]
		switch args[0] {
		case "start":
			l := &requestLoop{stop: make(chan struct{}), done: make(chan struct{}), errs: map[string]int{}, versions: map[string]int{}}
			requestLoops.Store(key, l)
			go l.run(args[2])
			ts.Defer(func() {
				if _, ok := requestLoops.LoadAndDelete(key); ok {
					close(l.stop)
					<-l.done
				}
			})
		case "stop":
			v, ok := requestLoops.LoadAndDelete(key)
			if !ok {
				ts.Fatalf("no request loop %s", args[1])
			}
			l := v.(*requestLoop)
			close(l.stop)
			<-l.done
			errs := 0
			for _, n := range l.errs {
				errs += n
			}
			fmt.Fprintf(ts.Stdout(), "requests %d\nerrors %d\n", l.requests, errs)
			for _, k := range slices.Sorted(maps.Keys(l.errs)) {
				fmt.Fprintf(ts.Stdout(), "error %s: %d\n", k, l.errs[k])
			}
			for _, k := range slices.Sorted(maps.Keys(l.versions)) {
				fmt.Fprintf(ts.Stdout(), "version %s\n", k)
			}
		default:
			ts.Fatalf("usage: request-loop start NAME URL | request-loop stop NAME")
		}
	}
}

func (l *requestLoop) run(url string) {
	defer close(l.done)
	client := &http.Client{Timeout: 10 * time.Second}
	for end := time.Now().Add(3 * time.Minute); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		select {
		case <-l.stop:
			return
		default:
		}
		l.requests++
		resp, err := client.Get(url)
		if err != nil {
			l.errs[err.Error()]++
			continue
		}
		var r struct{ Version string }
		derr := json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		switch {
		case resp.StatusCode != http.StatusOK:
			l.errs[resp.Status]++
		case derr != nil:
			l.errs["undecodable answer"]++
		default:
			l.versions[r.Version]++
		}
	}
}
