// Package cli owns the cobra commands, one file per command: flags become an Options
// struct, a run function calls the domain packages and prints through term. It wires the
// areas together explicitly (slotService, versionStore and openLedger build each service
// with its collaborators); the rules that join areas live in the domain packages. Exit
// codes are decided here and only here (see exitCode).
package cli
