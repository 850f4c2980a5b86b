// Package bench measures introspection and planning on synthetic schemas
// of growing size, against pg_dump --schema-only of the same database
// measured in the same run (reported as the x-pg_dump ratio), and checks
// that introspection issues the same number of queries whatever the size.
//
//	go test ./internal/bench -bench . -run '^$' -benchtime 3x
package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// synthetic returns a schema of n tables shaped like real ones: an identity
// key, a dozen typed columns, a unique and a check constraint, two
// secondary indexes (one partial), a foreign key to an earlier table, enums
// shared between tables, and a view for every tenth table.
func synthetic(n int) string {
	var b strings.Builder
	for e := 0; e < 10; e++ {
		fmt.Fprintf(&b, "CREATE TYPE state_%02d AS ENUM ('new', 'active', 'done');\n", e)
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `CREATE TABLE t%05[1]d (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL,
	code varchar(64) UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now(),
	amount numeric(12,2) CHECK (amount >= 0),
	is_active boolean NOT NULL DEFAULT false,
	payload jsonb,
	state state_%02[2]d,
	parent_id bigint%[3]s,
	qty integer NOT NULL DEFAULT 0
);
CREATE INDEX t%05[1]d_created_idx ON t%05[1]d (created_at);
CREATE INDEX t%05[1]d_parent_idx ON t%05[1]d (parent_id) WHERE is_active;
`, i, i%10, parentRef(i))
		if i%10 == 0 {
			fmt.Fprintf(&b, "CREATE VIEW v%05[1]d AS SELECT c.id, c.name, p.name AS parent FROM t%05[1]d c JOIN t%05[2]d p ON p.id = c.parent_id;\n", i, max(i-1, 1))
		}
	}
	return b.String()
}

func parentRef(i int) string {
	if i == 1 {
		return ""
	}
	return fmt.Sprintf(" REFERENCES t%05d (id)", i-1)
}

// countingTracer counts the queries a connection runs.
type countingTracer struct{ n atomic.Int64 }

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func inspectCounting(t testing.TB, url string) (*schema.Catalog, int64) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	tracer := &countingTracer{}
	cfg.Tracer = tracer
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	cat, err := introspect.Inspect(context.Background(), conn, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cat, tracer.n.Load()
}

// TestQueryCountDoesNotGrow proves introspection is set-based: a schema ten
// times larger is read with exactly as many queries.
func TestQueryCountDoesNotGrow(t *testing.T) {
	small, large := pgtest.NewDB(t), pgtest.NewDB(t)
	pgtest.Exec(t, small, synthetic(10))
	pgtest.Exec(t, large, synthetic(100))
	catSmall, nSmall := inspectCounting(t, small)
	catLarge, nLarge := inspectCounting(t, large)
	if len(catSmall.Tables) != 10 || len(catLarge.Tables) != 100 {
		t.Fatalf("read %d and %d tables, want 10 and 100", len(catSmall.Tables), len(catLarge.Tables))
	}
	if nSmall != nLarge {
		t.Fatalf("introspection ran %d queries for 10 tables and %d for 100: it must not query per object", nSmall, nLarge)
	}
	t.Logf("introspection runs %d queries whatever the size", nSmall)
}

func pgDumpTime(b *testing.B, url string) time.Duration {
	bin, err := pgserver.FindBinDir()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if out, err := exec.Command(filepath.Join(bin, "pg_dump"), "--schema-only", "-d", url).CombinedOutput(); err != nil {
		b.Fatalf("pg_dump: %v: %s", err, out)
	}
	return time.Since(start)
}

// BenchmarkInspect reads a live database's catalog.
func BenchmarkInspect(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			url := pgtest.NewDB(b)
			pgtest.Exec(b, url, synthetic(n))
			ref := pgDumpTime(b, url)
			b.ResetTimer()
			for range b.N {
				if _, err := pipeline.InspectURL(context.Background(), url, introspect.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(perOp)/float64(ref), "x-pg_dump")
		})
	}
}

// BenchmarkPlan runs what `schemadiff plan` does for a schema of n tables
// with three changes: load the desired SQL into a scratch database,
// introspect both sides, diff and order.
func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			base := synthetic(n)
			desired := strings.Replace(base, "qty integer NOT NULL DEFAULT 0\n);\nCREATE INDEX t00050_created_idx",
				"qty integer NOT NULL DEFAULT 0, extra text\n);\nCREATE INDEX t00050_created_idx", 1) +
				"CREATE INDEX t00002_name_idx ON t00002 (name);\n"
			url := pgtest.NewDB(b)
			pgtest.Exec(b, url, base)
			dir := b.TempDir()
			path := filepath.Join(dir, "schema.sql")
			writeFile(b, path, desired)
			ref := pgDumpTime(b, url)
			ctx := context.Background()
			b.ResetTimer()
			for range b.N {
				stmts, _, err := pipeline.ReadSchema(path)
				if err != nil {
					b.Fatal(err)
				}
				current, err := pipeline.InspectURL(ctx, url, introspect.Options{})
				if err != nil {
					b.Fatal(err)
				}
				want, err := pipeline.LoadDesired(ctx, pgtest.Scratch(b), stmts, introspect.Options{})
				if err != nil {
					b.Fatal(err)
				}
				p, err := pipeline.Plan(current, want)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Changes) != 2 {
					b.Fatalf("plan has %d changes, want 2", len(p.Changes))
				}
			}
			b.StopTimer()
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(perOp)/float64(ref), "x-pg_dump")
		})
	}
}

func writeFile(b *testing.B, path, content string) {
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}

// TestGenerate loads a generated schema into a real server and plans to
// its desired version: the three changes Generate describes, and one more
// after EditOneTable.
func TestGenerate(t *testing.T) {
	syn := Generate(40)
	if again := Generate(40); again.Base != syn.Base || again.Desired != syn.Desired {
		t.Fatal("Generate is not deterministic")
	}
	url := pgtest.NewDB(t)
	pgtest.Exec(t, url, syn.Base)
	current, err := pipeline.InspectURL(context.Background(), url, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(current.Tables) != 40 || len(current.Views) != 4 {
		t.Fatalf("base has %d tables and %d views, want 40 and 4", len(current.Tables), len(current.Views))
	}
	for desired, want := range map[string]int{syn.Desired: 3, EditOneTable(syn.Desired): 4} {
		dir := t.TempDir()
		path := filepath.Join(dir, "schema.sql")
		if err := os.WriteFile(path, []byte(desired), 0o644); err != nil {
			t.Fatal(err)
		}
		stmts, _, err := pipeline.ReadSchema(path)
		if err != nil {
			t.Fatal(err)
		}
		cat, err := pipeline.LoadDesired(context.Background(), pgtest.Scratch(t), stmts, introspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := pipeline.Plan(current, cat)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Changes) != want {
			t.Errorf("plan has %d changes, want %d: %v", len(p.Changes), want, p.Changes)
		}
	}
}
