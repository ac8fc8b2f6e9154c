// Package kickoff owns the domain of kickoff and feature branches: their names as types,
// the rules for creating, syncing, finishing (resumably) and abandoning them, which commits
// are a kickoff's own, and the list of live kickoffs.
// It knows nothing of cobra or terminals.
package kickoff
