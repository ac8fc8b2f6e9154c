// Command kickoff manages kickoff branches, platform versions, conflict checks and QA slots.
package main

import (
	"os"

	"github.com/kickoffhq/kickoff/internal/cli"
	"github.com/kickoffhq/kickoff/internal/startup"
)

func main() {
	startup.Done()
	os.Exit(cli.Main())
}
