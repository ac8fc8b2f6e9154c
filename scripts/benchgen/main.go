// Command benchgen writes the synthetic repository of scripts/bench-conflicts.sh as a
// git fast-import stream on stdout.
package main

import (
	"fmt"
	"os"

	"github.com/kickoffhq/kickoff/internal/radar/synthrepo"
)

func main() {
	if err := synthrepo.Write(os.Stdout, synthrepo.Default); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}
