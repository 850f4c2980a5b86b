package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/internal/childproc"
)

// runDirPrefix starts the names of the temporary directories the runner is
// compiled in.
const runDirPrefix = "schemadiff-run-"

// runDirOwner is the file in a run directory holding the process id of the
// schemadiff process that made it.
const runDirOwner = "owner.pid"

// newRunDir makes a run directory in tmp recording this process as owner.
func newRunDir(tmp string) (string, error) {
	work, err := os.MkdirTemp(tmp, runDirPrefix)
	if err != nil {
		return "", fmt.Errorf("creating a directory to compile the migrations in: %w", err)
	}
	if err := os.WriteFile(filepath.Join(work, runDirOwner), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		os.RemoveAll(work)
		return "", fmt.Errorf("recording the owner of %s: %w", work, err)
	}
	return work, nil
}

// RemoveStaleRunDirs removes the run directories in tmp whose owner process
// is dead: runs killed before they could remove theirs (each holds a
// compiled runner of about 15 MB). A directory without an owner file, or
// whose owner lives, is left alone. It returns the directories removed.
func RemoveStaleRunDirs(tmp string) []string {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), runDirPrefix) {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, runDirOwner))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid == os.Getpid() || childproc.Alive(pid) {
			continue
		}
		if os.RemoveAll(dir) == nil {
			removed = append(removed, dir)
		}
	}
	return removed
}
