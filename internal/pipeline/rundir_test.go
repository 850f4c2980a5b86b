package pipeline

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestRemoveStaleRunDirs removes the run directory of a dead process and
// keeps those of live processes and those without an owner.
func TestRemoveStaleRunDirs(t *testing.T) {
	tmp := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	mk := func(name, owner string) string {
		dir := filepath.Join(tmp, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(dir, runDirOwner), []byte(owner+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	deadDir := mk(runDirPrefix+"dead", strconv.Itoa(dead.Process.Pid))
	live := []string{
		mk(runDirPrefix+"self", strconv.Itoa(os.Getpid())),
		mk(runDirPrefix+"parent", strconv.Itoa(os.Getppid())),
		mk(runDirPrefix+"noowner", ""),
		mk(runDirPrefix+"garbled", "x"),
		mk("other-"+strconv.Itoa(dead.Process.Pid), strconv.Itoa(dead.Process.Pid)),
	}
	own, err := newRunDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	live = append(live, own)

	if got := RemoveStaleRunDirs(tmp); !slices.Equal(got, []string{deadDir}) {
		t.Errorf("removed %v, want only %s", got, deadDir)
	}
	for _, d := range live {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
}

// TestConnectSetsApplicationName: schemadiff's connections are named in
// pg_stat_activity unless the URL names them.
func TestConnectSetsApplicationName(t *testing.T) {
	db := pgtest.NewDB(t)
	for url, want := range map[string]string{db: "schemadiff", db + "&application_name=mine": "mine"} {
		conn, err := Connect(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		err = conn.QueryRow(context.Background(), "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()").Scan(&got)
		conn.Close(context.Background())
		if err != nil || got != want {
			t.Errorf("application_name = %q (%v), want %q", got, err, want)
		}
	}
}
