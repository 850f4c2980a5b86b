//go:build unix

package pgserver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/schemadiff/schemadiff/internal/childproc"
)

const exeSuffix = ""

// runAs is the unprivileged account the server runs as when we are root.
type runAs struct {
	name     string
	uid, gid uint32
}

// pickRunAs returns nil when the current user may run PostgreSQL itself, or
// the account to switch to when running as root ("postgres", then "nobody").
func pickRunAs() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		return &runAs{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, errors.New(`running as root and no unprivileged "postgres" or "nobody" user exists to run PostgreSQL as`)
}

// chownTree hands the tree at root to the run-as account.
func (r *runAs) chownTree(root string) error {
	if r == nil {
		return nil
	}
	return filepath.WalkDir(root, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(r.uid), int(r.gid))
	})
}

// procAttr puts the child in its own process group, so a terminal Ctrl-C
// reaches only us and we can shut the server down cleanly, drops privileges
// when r is non-nil and, where supported, kills the child when we die.
func procAttr(r *runAs) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	if r != nil {
		a.Credential = &syscall.Credential{Uid: r.uid, Gid: r.gid}
	}
	// The kernel kills the server if we die first.
	childproc.SetPdeathsig(a, syscall.SIGKILL)
	return a
}

// killGroup sends SIGKILL to the process group led by pid.
func killGroup(pid int) error {
	if pid <= 0 {
		return nil
	}
	err := syscall.Kill(-pid, syscall.SIGKILL)
	if err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing process group %d: %w", pid, err)
	}
	return nil
}

// interrupt asks the postmaster for a fast shutdown.
func interrupt(p *os.Process) error { return p.Signal(syscall.SIGINT) }
