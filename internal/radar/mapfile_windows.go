//go:build windows

package radar

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// mapFile maps a file read-only (a file mapping and a view of it), as mapfile_unix.go
// does with mmap: a pack of gigabytes costs its pages as they are read, not a copy.
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
	size := st.Size()
	if size == 0 || size != int64(int(size)) {
		data, err := os.ReadFile(path)
		return data, func() error { return nil }, err
	}
	h, err := windows.CreateFileMapping(windows.Handle(f.Fd()), nil, windows.PAGE_READONLY, uint32(size>>32), uint32(size), nil)
	if err != nil {
		return nil, nil, &os.PathError{Op: "CreateFileMapping", Path: path, Err: err}
	}
	defer windows.CloseHandle(h) // the view keeps the mapping open
	addr, err := windows.MapViewOfFile(h, windows.FILE_MAP_READ, 0, 0, uintptr(size))
	if err != nil {
		return nil, nil, &os.PathError{Op: "MapViewOfFile", Path: path, Err: err}
	}
	// The view lies outside Go's heap: its address is read as a pointer, not converted
	// from an integer the collector could lose track of (it has nothing to track).
	data = unsafe.Slice(*(**byte)(unsafe.Pointer(&addr)), int(size))
	return data, func() error { return windows.UnmapViewOfFile(addr) }, nil
}
