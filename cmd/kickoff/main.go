// Command kickoff manages kickoff branches, platform versions, conflict checks and QA slots.
package main

import (
	"os"

	"github.com/kickoffhq/kickoff/internal/cli"
)

func main() { os.Exit(cli.Main()) }
