//go:build unix

package pgserver

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// cacheSupported says whether the cluster cache works on this platform.
const cacheSupported = true

// lockMode says how lockFile locks.
type lockMode int

const (
	lockShared    lockMode = 1 << iota // many holders at once
	lockExclusive                      // a single holder
	lockNoWait                         // fail rather than wait
)

// fileLock is an advisory lock (flock) held on an open file; the kernel
// releases it when the process dies.
type fileLock struct{ f *os.File }

// lockFile opens (creating it when missing, never following a symlink)
// the file at path and locks it.
func lockFile(path string, mode lockMode) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if mode&lockExclusive != 0 {
		how = syscall.LOCK_EX
	}
	if mode&lockNoWait != 0 {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) unlock() {
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}

// ownedByUs reports whether the file belongs to the effective user.
func ownedByUs(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}

// ownedBy reports whether the file belongs to the run-as account.
func ownedBy(fi fs.FileInfo, r *runAs) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && r != nil && st.Uid == r.uid
}

// chown hands path (not followed if a symlink) to the run-as account.
func (r *runAs) chown(path string) error {
	if r == nil {
		return nil
	}
	return os.Lchown(path, int(r.uid), int(r.gid))
}

// fchown hands an open file to the run-as account.
func (r *runAs) fchown(f *os.File) error {
	if r == nil {
		return nil
	}
	return f.Chown(int(r.uid), int(r.gid))
}
