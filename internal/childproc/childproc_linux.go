package childproc

import "syscall"

// SetPdeathsig makes the kernel send sig to the child when the thread that
// started it dies (with the process, as long as that thread stays locked
// to the goroutine waiting for the child; see StartLocked).
func SetPdeathsig(a *syscall.SysProcAttr, sig syscall.Signal) { a.Pdeathsig = sig }
