//go:build windows

package radar

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// mapView maps size bytes of f: a file mapping and a read-only view of it.
func mapView(f *os.File, size int) ([]byte, func() error, error) {
	h, err := windows.CreateFileMapping(windows.Handle(f.Fd()), nil, windows.PAGE_READONLY, uint32(uint64(size)>>32), uint32(size), nil)
	if err != nil {
		return nil, nil, &os.PathError{Op: "CreateFileMapping", Path: f.Name(), Err: err}
	}
	defer windows.CloseHandle(h) // the view keeps the mapping open
	addr, err := windows.MapViewOfFile(h, windows.FILE_MAP_READ, 0, 0, uintptr(size))
	if err != nil {
		return nil, nil, &os.PathError{Op: "MapViewOfFile", Path: f.Name(), Err: err}
	}
	// The view lies outside Go's heap: its address is read as a pointer, not converted
	// from an integer the collector could lose track of (it has nothing to track).
	data := unsafe.Slice(*(**byte)(unsafe.Pointer(&addr)), size)
	return data, func() error { return windows.UnmapViewOfFile(addr) }, nil
}
