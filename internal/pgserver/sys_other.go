//go:build !unix

package pgserver

import (
	"os"
	"syscall"
)

const exeSuffix = ".exe"

// runAs is unused on this platform: the server runs as the current user.
type runAs struct{ name string }

func pickRunAs(func(string, ...any)) (*runAs, error) { return nil, nil }

func (r *runAs) chownTree(string) error { return nil }

func procAttr(*runAs) *syscall.SysProcAttr { return nil }

func killGroup(int) error { return nil }

// interrupt kills the process: there is no portable fast-shutdown signal here.
func interrupt(p *os.Process) error { return p.Kill() }

// processAlive cannot tell here: every process is taken to be alive, so no
// directory is ever removed as stale.
func processAlive(int) bool { return true }
