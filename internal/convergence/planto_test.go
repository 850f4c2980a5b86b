package convergence

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// planTo plans the database at work to the desired schema toSQL, read from
// a file as the CLI reads it, and returns the current catalog with the plan.
func planTo(ctx context.Context, t *testing.T, work, toSQL string) (*schema.Catalog, emit.Plan) {
	t.Helper()
	toFile := filepath.Join(t.TempDir(), "to.sql")
	if err := os.WriteFile(toFile, []byte(toSQL), 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, _, err := pipeline.ReadSchema(toFile)
	if err != nil {
		t.Fatal(err)
	}
	desired, err := pipeline.LoadDesired(ctx, pgtest.Scratch(t), stmts, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	current, err := pipeline.InspectURL(ctx, work, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := pipeline.Plan(current, desired)
	if err != nil {
		t.Fatal(err)
	}
	return current, plan
}
