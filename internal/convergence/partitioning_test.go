package convergence

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// TestPartitioningRowWithoutPartitionFails turns a plain table holding a
// row that no partition accepts into a partitioned table: applying the
// plan (one transaction, as the runner does) must fail and keep the table
// and its rows as they were.
func TestPartitioningRowWithoutPartitionFails(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	work := pgtest.NewDB(t)
	pgtest.Exec(t, work, `CREATE TABLE events (id bigserial, at timestamptz NOT NULL, payload text);
INSERT INTO events (at, payload) VALUES ('2024-03-01 10:00+00', 'fits'), ('2023-03-01 10:00+00', 'fits no partition')`)
	_, plan := planTo(ctx, t, work, `CREATE TABLE events (id bigserial, at timestamptz NOT NULL, payload text) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
`)
	conn, err := pipeline.Connect(ctx, work)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	err = pipeline.ApplyPlan(ctx, conn, plan)
	if err == nil || !strings.Contains(err.Error(), "no partition") {
		t.Fatalf("applying the plan: got error %v, want one saying no partition takes the row", err)
	}
	var rows int
	var partitioned bool
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM events), relkind = 'p' FROM pg_class WHERE oid = 'events'::regclass`).Scan(&rows, &partitioned); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || partitioned {
		t.Errorf("after the failed plan: %d rows, partitioned %v; want 2 rows in the plain table", rows, partitioned)
	}
}
