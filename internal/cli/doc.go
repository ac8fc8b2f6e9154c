// Package cli owns the cobra commands, one file per command: flags become an Options
// struct, a run function calls the domain packages and prints through term. Exit codes
// are decided here and only here (see exitCode).
package cli
