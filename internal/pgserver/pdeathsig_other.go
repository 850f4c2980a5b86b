//go:build unix && !linux

package pgserver

import "syscall"

// setPdeathsig is a no-op where the platform lacks a parent-death signal.
func setPdeathsig(*syscall.SysProcAttr) {}
