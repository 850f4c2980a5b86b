//go:build unix

package pgserver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/schemadiff/schemadiff/internal/childproc"
)

const exeSuffix = ""

// runAs is the unprivileged account the server runs as when we are root.
type runAs struct {
	name     string
	uid, gid uint32
}

// RunAsUser is the system account the embedded server runs as when
// schemadiff runs as root. It owns nothing but the server's temporary
// directories: schema files loaded into the server can never reach the files
// of the machine's real clusters (owned by "postgres") or of other users.
const RunAsUser = "schemadiff"

// pickRunAs returns nil when the current user may run PostgreSQL itself, or,
// when running as root, the dedicated RunAsUser account, created as a system
// user without home directory or login shell when missing.
func pickRunAs(logf func(string, ...any)) (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	r, err := lookupRunAs(RunAsUser)
	if err == nil {
		return r, nil
	}
	if err := createSystemUser(RunAsUser); err != nil {
		return nil, err
	}
	logf("running as root: created system user %q to run PostgreSQL as", RunAsUser)
	// Another run may have created it meanwhile: look it up either way.
	return lookupRunAs(RunAsUser)
}

// lookupRunAs reads the account name from the user database; root (uid 0)
// is refused.
func lookupRunAs(name string) (*runAs, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user %q has a non-numeric uid or gid", name)
	}
	if uid == 0 || gid == 0 {
		return nil, fmt.Errorf("user %q has uid or gid 0: refusing to run PostgreSQL as it", name)
	}
	return &runAs{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
}

// createSystemUser runs useradd for a system account without home or shell.
// An account created concurrently by another run (useradd exit status 9) is
// fine.
func createSystemUser(name string) error {
	useradd, err := exec.LookPath("useradd")
	if err != nil {
		for _, p := range []string{"/usr/sbin/useradd", "/sbin/useradd"} {
			if _, statErr := os.Stat(p); statErr == nil {
				useradd, err = p, nil
				break
			}
		}
	}
	if err != nil {
		return fmt.Errorf("running as root: no user %q to run PostgreSQL as, and no useradd to create it: create it with: useradd --system --no-create-home --shell /usr/sbin/nologin %s", name, name)
	}
	shell := "/usr/sbin/nologin"
	if _, err := os.Stat(shell); err != nil {
		shell = "/bin/false"
	}
	out, err := exec.Command(useradd, "--system", "--no-create-home", "--user-group", "--home-dir", "/nonexistent",
		"--shell", shell, "--comment", "schemadiff embedded PostgreSQL", name).CombinedOutput()
	var exitErr *exec.ExitError
	if err != nil && !(errors.As(err, &exitErr) && exitErr.ExitCode() == 9) {
		return fmt.Errorf("running as root: creating system user %q to run PostgreSQL as: %w: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
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

// processAlive reports whether a process with this id exists (EPERM means
// it exists under another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
