package childproc

import (
	"os/exec"
	"runtime"
)

// StartLocked starts cmd from a goroutine locked to its OS thread and
// waits for it there, so that a parent-death signal (which Linux ties to
// the starting thread, not the process) fires only when schemadiff itself
// dies. The returned channel receives cmd.Wait's result.
func StartLocked(cmd *exec.Cmd) (<-chan error, error) {
	started := make(chan error, 1)
	waited := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		waited <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return waited, nil
}
