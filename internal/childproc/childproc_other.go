//go:build !linux

package childproc

import "syscall"

// SetPdeathsig does nothing where the platform has no parent-death signal;
// children that must notice schemadiff's death watch their parent process
// id themselves.
func SetPdeathsig(*syscall.SysProcAttr, syscall.Signal) {}
