// Package gitrepo is the only package that talks to git and to remotes: opening a
// repository, refs, tag objects, history, the work tree (a merge in progress, the stash),
// and ls-remote, fetch and push (atomic and dry-run ones too) under one credential and
// timeout policy, git's own configuration (Settings) and the trunk a repository uses
// (Trunk). It uses go-git, whose handle
// stays inside, and the git binary (started only by Command) where go-git lacks a feature;
// each such place says why. It knows nothing of kickoffs or the terminal.
package gitrepo
