// Package config owns kickoff's settings: the schema of .kickoff.yaml, the defaults that make
// the file optional, the sources layered over it (the user's file, git config entries handed
// in by the CLI, KICKOFF_* variables) with where each key came from, the nearest key for a
// mistyped one, and errors that name the file, line and key in the user's terms.
// It knows nothing of git, cobra or the terminal.
package config
