//go:build unix

package childproc

import (
	"errors"
	"syscall"
)

// Alive reports whether a process with this id exists (it may belong to
// another user).
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
