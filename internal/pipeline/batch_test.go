package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestLoadInBatches loads more statements than two transactions hold, with
// a statement that cannot run in a transaction block in the second one,
// then the same with an error in the third: everything before the error
// loads, and the error names its statement's line.
func TestLoadInBatches(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := 2*loadBatch + 10
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "CREATE TABLE t%d (id int);\n", i)
		if i == loadBatch+3 {
			b.WriteString("CREATE INDEX CONCURRENTLY t_idx ON t0 (id);\n")
		}
	}
	scratch := pgtest.Scratch(t)
	load := func(sql string) (int, error) {
		t.Helper()
		sb, err := openSandbox(ctx, scratch, "")
		if err != nil {
			t.Fatal(err)
		}
		defer sb.close(ctx)
		loadErr := sb.load(ctx, readSQL(t, sql), loadInOrder)
		var tables int
		if err := sb.loader.QueryRow(ctx, "SELECT count(*) FROM pg_catalog.pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace").Scan(&tables); err != nil {
			t.Fatal(err)
		}
		return tables, loadErr
	}
	tables, err := load(b.String())
	if err != nil || tables != n {
		t.Fatalf("loaded %d tables of %d: %v", tables, n, err)
	}
	tables, err = load(b.String() + "CREATE TABLE t5 (id int);\n")
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf(":%d:", n+2)) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("the duplicate table on line %d: got %v", n+2, err)
	}
	// The first two transactions hold 2*loadBatch statements, one of
	// them the index.
	if want := 2*loadBatch - 1; tables != want {
		t.Errorf("after an error in the third transaction, %d tables are left, want the %d of the first two", tables, want)
	}
}
