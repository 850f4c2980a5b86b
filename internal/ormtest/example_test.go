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

	// Edit a struct in a copy of the example: the plan adds the column.
	work := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum", "models/models.go"} {
		src, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "models/models.go" {
			src = []byte(strings.Replace(string(src), "\tName   string  `gorm:\"size:200\"`\n",
				"\tName   string  `gorm:\"size:200\"`\n\tPhone  string  `gorm:\"size:30;index\"`\n", 1))
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(work, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, f), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr = run(t, "plan", "--schema", filepath.Join(work, "models"), "--db", url)
	for _, want := range []string{"ADD COLUMN phone character varying(30)", "CREATE INDEX idx_customers_phone"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan after adding Customer.Phone lacks %q:\n%s\nstderr:\n%s", want, out, stderr)
		}
	}
}
