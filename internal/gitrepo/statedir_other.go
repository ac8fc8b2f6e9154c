//go:build !unix

package gitrepo

// noFollow: no such open flag here; the Lstat check before opening refuses links.
const noFollow = 0
