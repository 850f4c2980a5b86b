package pgserver

import "syscall"

// setPdeathsig makes the kernel kill the server if we die first.
func setPdeathsig(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
