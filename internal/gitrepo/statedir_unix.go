//go:build unix

package gitrepo

import "syscall"

// noFollow makes the final open fail on a symbolic link.
const noFollow = syscall.O_NOFOLLOW
