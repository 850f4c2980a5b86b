package ormtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestGORMExample runs the GORM example's first step (AutoMigrate, once)
// and checks that schemadiff then finds nothing to do.
func TestGORMExample(t *testing.T) {
	url := pgtest.NewDB(t)
	dir := filepath.Join("..", "..", "examples", "gorm")
	cmd := exec.Command("go", "run", "./automigrate")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./automigrate: %v\n%s", err, out)
	}
	out, stderr := run(t, "plan", "--schema", filepath.Join(dir, "models"), "--db", url)
	if strings.TrimSpace(out) != "" || strings.Contains(stderr, "warning") {
		t.Errorf("plan after AutoMigrate:\n%s\nstderr:\n%s", out, stderr)
	}
}
