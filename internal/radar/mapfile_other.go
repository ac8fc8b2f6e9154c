//go:build !unix && !windows

package radar

import "os"

// mapFile reads a file whole where mapping it is not at hand.
func mapFile(path string) (data []byte, unmap func() error, err error) {
	data, err = os.ReadFile(path)
	return data, func() error { return nil }, err
}
