package pgserver

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tempPattern names the temporary directory of each embedded server.
const tempPattern = "schemadiff-pg-*"

// ownerFile, in a server's temporary directory, holds the process id of the
// schemadiff process that created it.
const ownerFile = "owner.pid"

// writeOwnerPID records the current process as the owner of dir, so that a
// later run can tell a directory left behind by a killed run from a live
// one.
func writeOwnerPID(dir string) error {
	p := filepath.Join(dir, ownerFile)
	if err := os.WriteFile(p, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("recording the owner of %s: %w", dir, err)
	}
	return nil
}

// removeStaleDirs removes the temporary directories in base that runs which
// are gone left behind (a killed process cannot clean up): those whose
// owner process and postmaster are both no longer alive. A directory
// without an owner record, or whose record cannot be read, is left alone:
// it may be one being created right now.
func removeStaleDirs(base string, opts Options) {
	dirs, err := filepath.Glob(filepath.Join(base, tempPattern))
	if err != nil {
		return
	}
	for _, dir := range dirs {
		if !isStale(dir) {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			opts.logf("could not remove the stale temporary directory %s: %v", dir, err)
			continue
		}
		opts.logf("removed the temporary directory %s of a schemadiff run that is gone", dir)
	}
}

// isStale reports whether dir belongs to a run that is gone.
func isStale(dir string) bool {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	owner, ok := readPID(filepath.Join(dir, ownerFile))
	if !ok || owner == os.Getpid() || processAlive(owner) {
		return false
	}
	// The postmaster normally dies with its parent; never pull the data
	// directory from under one that is still running.
	if pm, ok := readPID(filepath.Join(dir, "data", "postmaster.pid")); ok && processAlive(pm) {
		return false
	}
	return true
}

// readPID reads the process id on the first line of a file.
func readPID(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(line)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}
