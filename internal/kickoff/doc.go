// Package kickoff owns the domain of kickoff and feature branches: their names as types,
// the rules for creating, syncing, finishing (resumably) and abandoning them as plans of
// steps, the journal that lets new, feature and sync resume, continue, abort and be
// undone, which commits are a kickoff's own, and the list of live kickoffs.
// It knows nothing of cobra or terminals.
package kickoff
