package ormtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return fmt.Sprintf("%v\n%s", e.err, e.out) }

// pgDump finds pg_dump of the installed server: on PATH, or the newest
// under /usr/lib/postgresql.
func pgDump(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(found) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("pg_dump not found")
		}
		t.Skip("pg_dump not found")
	}
	sort.Strings(found)
	return found[len(found)-1]
}
