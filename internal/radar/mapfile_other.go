//go:build !unix && !windows

package radar

import (
	"io"
	"os"
)

// mapView reads f whole where mapping it is not at hand.
func mapView(f *os.File, size int) ([]byte, func() error, error) {
	data := make([]byte, size)
	_, err := io.ReadFull(f, data)
	return data, func() error { return nil }, err
}
