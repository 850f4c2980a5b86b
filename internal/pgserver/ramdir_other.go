//go:build !linux

package pgserver

// ramDir returns "": no memory-backed directory is looked for on this
// platform.
func ramDir() string { return "" }
