package radar

import "os"

// mapFile maps a file read-only (mapView, by platform), as git does its packs and their
// indexes: opening costs no read, and only the pages a lookup touches are read in (a few
// of git.git's 24 MB index for a pair). git never rewrites a pack or an index in place
// (it writes a new file and renames it), so the mapping stays whole while mapped. An
// empty file, or one larger than an int, is read instead.
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
	if size := st.Size(); size != 0 && size == int64(int(size)) {
		return mapView(f, int(size))
	}
	data, err = os.ReadFile(path)
	return data, func() error { return nil }, err
}
