// Package kickoff owns the domain of kickoff and feature branches: their names as types,
// the rules for creating, syncing and finishing them, and the list of live kickoffs.
// It knows nothing of cobra or terminals.
package kickoff
