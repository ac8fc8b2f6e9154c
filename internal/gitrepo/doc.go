// Package gitrepo owns access to a git repository: opening it, refs, fetch and push with the
// usual authentication, ancestry. It uses go-git, and the git binary only where go-git lacks
// a feature (each such place says why). It knows nothing of kickoffs or the terminal.
package gitrepo
