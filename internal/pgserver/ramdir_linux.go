package pgserver

import (
	"os"
	"syscall"
)

// tmpfsMagic is the file system type statfs reports for tmpfs.
const tmpfsMagic = 0x01021994

// ramDirCandidate is the memory-backed file system Linux mounts for
// everyone.
const ramDirCandidate = "/dev/shm"

// ramDir returns a memory-backed directory shared by every user (sticky
// and writable by all, like /tmp) with at least minRAMDirFree bytes free,
// or "" when there is none.
func ramDir() string {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(ramDirCandidate, &fs); err != nil || fs.Type != tmpfsMagic {
		return ""
	}
	if free := uint64(fs.Bavail) * uint64(fs.Bsize); free < minRAMDirFree {
		return ""
	}
	fi, err := os.Lstat(ramDirCandidate)
	if err != nil || !fi.IsDir() || fi.Mode()&os.ModeSticky == 0 || fi.Mode().Perm()&0o777 != 0o777 {
		return ""
	}
	return ramDirCandidate
}

// memoryBacked reports whether path is on a memory-backed file system.
func memoryBacked(path string) bool {
	var fs syscall.Statfs_t
	return syscall.Statfs(path, &fs) == nil && fs.Type == tmpfsMagic
}
