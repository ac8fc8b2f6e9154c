package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The collector is off while the packages initialise only if internal/startup's
// initialisation comes before the costly ones: GODEBUG=inittrace=1 lists the order this
// binary (kickoff's packages and the test's) initialises in.
func TestStartupInitialisesBeforeTheSchemaLibrary(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	at := func(pkg string) int {
		for i, l := range strings.Split(string(out), "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == "init" && f[1] == pkg {
				return i
			}
		}
		t.Fatalf("%s not in the init trace:\n%s", pkg, out)
		return -1
	}
	if s, j := at("github.com/kickoffhq/kickoff/internal/startup"), at("github.com/santhosh-tekuri/jsonschema/v6"); s > j {
		t.Errorf("internal/startup initialises after jsonschema (lines %d and %d of the trace): the collector runs during its tables", s, j)
	}
}
