// Command benchgen writes the synthetic repository of scripts/bench-conflicts.sh as a
// git fast-import stream on stdout. -history and -after add main commits before and
// after the kickoffs fork, for a trunk with a history of its own.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kickoffhq/kickoff/internal/radar/synthrepo"
)

func main() {
	o := synthrepo.Default
	flag.IntVar(&o.History, "history", 0, "main commits before the kickoffs fork")
	flag.IntVar(&o.After, "after", 0, "main commits after the first kickoff forked; kickoffs fork along them")
	flag.Parse()
	if err := synthrepo.Write(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}
