//go:build !linux

package pgserver

// ramDir returns "": no memory-backed directory is looked for on this
// platform.
func ramDir() string { return "" }

// memoryBacked reports false: memory-backed file systems are not looked
// for on this platform.
func memoryBacked(string) bool { return false }
