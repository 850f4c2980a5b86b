//go:build !linux

package termcolor

import "os"

// isTerminal reports whether f is a character device, the nearest test
// without terminal ioctls.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
