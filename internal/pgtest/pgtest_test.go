package pgtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestNewDBIsFreshAndIsolated(t *testing.T) {
	t.Parallel()
	a, b := pgtest.NewDB(t), pgtest.NewDB(t)
	if a == b {
		t.Fatalf("NewDB returned the same URL twice: %s", a)
	}
	pgtest.Exec(t, a, `
		CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL);
		INSERT INTO t VALUES (1, 'one'), (2, 'two');
	`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	connA, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer connA.Close(ctx)
	var n int
	if err := connA.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("count = %d, %v; want 2", n, err)
	}
	connB, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer connB.Close(ctx)
	if err := connB.QueryRow(ctx, "SELECT count(*) FROM pg_class WHERE relname = 't'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("table t visible in the other database: %d, %v", n, err)
	}
}

func TestParallelDatabases(t *testing.T) {
	t.Parallel()
	for i := 0; i < 8; i++ {
		t.Run("db", func(t *testing.T) {
			t.Parallel()
			url := pgtest.NewDB(t)
			pgtest.Exec(t, url, "CREATE SCHEMA s; CREATE TABLE s.x (v int)")
		})
	}
}

func TestScratchIsShared(t *testing.T) {
	first, second := pgtest.Scratch(t), pgtest.Scratch(t)
	if first != second {
		t.Fatal("Scratch returned different sources")
	}
}
