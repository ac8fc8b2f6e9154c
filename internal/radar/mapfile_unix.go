//go:build unix

package radar

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only, as git does its pack indexes: opening costs no read, and
// only the pages a lookup touches are read in (a few of git.git's 24 MB index for a pair).
// git never rewrites an index in place (it writes a new file and renames it), so the
// mapping stays whole while mapped.
func mapFile(path string) (data []byte, unmap func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size() == 0 || st.Size() != int64(int(st.Size())) {
		data, err := os.ReadFile(path)
		return data, func() error { return nil }, err
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, &os.PathError{Op: "mmap", Path: path, Err: err}
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}
