// Package config owns .kickoff.yaml: its schema, the defaults that make the file optional,
// KICKOFF_* environment overrides, and validation errors that name the offending line.
// It knows nothing of git, cobra or the terminal.
package config
