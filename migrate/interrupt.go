package migrate

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// ParentPIDEnv names the environment variable through which schemadiff
// gives the runner program its own process id. While it is set, the runner
// watches its parent: when schemadiff dies (even by SIGKILL), the runner
// stops as it does on SIGTERM, so that no migration runs on unattended.
const ParentPIDEnv = "SCHEMADIFF_PARENT_PID"

// parentPollInterval is how often the runner checks that its parent lives.
const parentPollInterval = 200 * time.Millisecond

// interruption is the cause of a context cancelled by a signal or by the
// parent's death.
type interruption struct {
	reason string // e.g. "SIGTERM"
}

func (e *interruption) Error() string { return "interrupted by " + e.reason }

// interruptedBy returns what interrupted ctx, if a signal or the parent's
// death cancelled it.
func interruptedBy(ctx context.Context) (*interruption, bool) {
	return errors.AsType[*interruption](context.Cause(ctx))
}

// interruptContext returns a context cancelled by SIGINT, SIGTERM or SIGHUP
// (a closed terminal), and, when parentPID is a process id, by this
// process's parent changing from it. SIGPIPE is ignored, so that output
// lost to a closed pipe does not kill the runner mid-rollback. stop
// releases the signal handlers.
func interruptContext(parent context.Context, parentPID string) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	signal.Ignore(syscall.SIGPIPE)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			cancel(&interruption{reason: signalName(s)})
		case <-done:
		}
	}()
	if ppid, err := strconv.Atoi(parentPID); err == nil && ppid > 1 {
		go watchParent(ppid, cancel, done)
	}
	return ctx, func() {
		signal.Stop(sigs)
		signal.Reset(syscall.SIGPIPE)
		close(done)
		cancel(nil)
	}
}

// watchParent cancels when the parent process is no longer ppid: the
// parent died and this process was handed to another one.
func watchParent(ppid int, cancel context.CancelCauseFunc, done <-chan struct{}) {
	gone := &interruption{reason: "the death of its parent process (pid " + strconv.Itoa(ppid) + ")"}
	if os.Getppid() != ppid {
		cancel(gone)
		return
	}
	t := time.NewTicker(parentPollInterval)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if os.Getppid() != ppid {
				cancel(gone)
				return
			}
		}
	}
}

// signalName names the signals the runner handles.
func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}
