//go:build unix

package main

import (
	"os"
	"syscall"
)

// maxRSS is the peak resident set size of an exited process in KiB (on
// Linux it covers the children it waited for too), 0 when unknown.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}
