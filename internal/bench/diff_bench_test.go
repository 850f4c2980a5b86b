package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/dag"
	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// LargeEnv, when set to a true value, adds N = 10,000 to the sizes of
// BenchmarkDiff and BenchmarkOrder (loading that schema takes minutes).
const LargeEnv = "SCHEMADIFF_BENCH_LARGE"

// loadTimeout bounds the load of one generated schema into a database.
const loadTimeout = 20 * time.Minute

// catalogPair is the current and desired catalogs of Generate(n), read
// from real databases.
type catalogPair struct {
	current, desired *schema.Catalog
	// changes is the plan from current to desired; created is the plan
	// creating all of desired from an empty database, dropped the one
	// dropping all of current.
	changes, created, dropped []diff.Change
}

var (
	pairsMu sync.Mutex
	pairs   = map[int]*catalogPair{}
)

// diffSizes are the schema sizes the diff and order benchmarks run on.
func diffSizes() []int {
	sizes := []int{1000, 5000}
	if large, _ := strconv.ParseBool(os.Getenv(LargeEnv)); large {
		sizes = append(sizes, 10000)
	}
	return sizes
}

// loadPair returns the catalogs of Generate(n): Base loaded into a fresh
// database and introspected, Desired loaded as the command line loads the
// schema files. They are read once per test binary and kept in memory, so
// that the benchmark loops time only the diff and the order.
func loadPair(b *testing.B, n int) *catalogPair {
	b.Helper()
	pairsMu.Lock()
	defer pairsMu.Unlock()
	if p, ok := pairs[n]; ok {
		return p
	}
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	syn := Generate(n)
	start := time.Now()
	url := pgtest.NewDB(b)
	execLong(ctx, b, url, syn.Base)
	current, err := pipeline.InspectURL(ctx, url, introspect.Options{})
	if err != nil {
		b.Fatalf("introspecting the current state of N=%d: %v", n, err)
	}
	path := filepath.Join(b.TempDir(), "schema.sql")
	writeFile(b, path, syn.Desired)
	stmts, _, err := pipeline.ReadSchema(path)
	if err != nil {
		b.Fatalf("reading the desired state of N=%d: %v", n, err)
	}
	desired, err := pipeline.LoadDesired(ctx, pgtest.Scratch(b), stmts, introspect.Options{})
	if err != nil {
		b.Fatalf("loading the desired state of N=%d: %v", n, err)
	}
	changes, err := diff.Diff(current, desired)
	if err != nil {
		b.Fatalf("diffing N=%d: %v", n, err)
	}
	if len(changes) != len(syn.Changes) {
		b.Fatalf("N=%d: diff has %d changes, want %d: %v", n, len(changes), len(syn.Changes), changes)
	}
	created, err := diff.Diff(pipeline.Baseline(desired), desired)
	if err != nil {
		b.Fatalf("diffing N=%d from an empty database: %v", n, err)
	}
	dropped, err := diff.Diff(current, pipeline.Baseline(current))
	if err != nil {
		b.Fatalf("diffing N=%d to an empty database: %v", n, err)
	}
	b.Logf("N=%d: loaded and introspected both states in %s", n, time.Since(start).Round(time.Millisecond))
	p := &catalogPair{current: current, desired: desired, changes: changes, created: created, dropped: dropped}
	pairs[n] = p
	return p
}

// execLong runs sql on the database at url in one simple-protocol batch,
// bounded by ctx rather than by pgtest.Exec's minute.
func execLong(ctx context.Context, b *testing.B, url, sql string) {
	b.Helper()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		b.Fatalf("connecting: %v", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql).ReadAll(); err != nil {
		b.Fatalf("loading the current state: %v", err)
	}
}

// scenario is what a diff benchmark plans: the three changes of Generate
// (edit), the whole desired state from an empty database (create), or
// the current state dropped (drop).
type scenario string

const (
	scenarioEdit   scenario = "edit"
	scenarioCreate scenario = "create"
	scenarioDrop   scenario = "drop"
)

var scenarios = []scenario{scenarioEdit, scenarioCreate, scenarioDrop}

// catalogs returns the catalogs the scenario plans between.
func (s scenario) catalogs(p *catalogPair) (from, to *schema.Catalog) {
	switch s {
	case scenarioCreate:
		return pipeline.Baseline(p.desired), p.desired
	case scenarioDrop:
		return p.current, pipeline.Baseline(p.current)
	}
	return p.current, p.desired
}

// changes returns the diff the scenario orders.
func (s scenario) changes(p *catalogPair) []diff.Change {
	switch s {
	case scenarioCreate:
		return p.created
	case scenarioDrop:
		return p.dropped
	}
	return p.changes
}

// eachSize runs f as a sub-benchmark per size and scenario.
func eachSize(b *testing.B, f func(b *testing.B, p *catalogPair, s scenario)) {
	for _, n := range diffSizes() {
		for _, s := range scenarios {
			b.Run(fmt.Sprintf("tables=%d/%s", n, s), func(b *testing.B) {
				p := loadPair(b, n)
				b.ReportAllocs()
				b.ResetTimer()
				before := cpuTime(b)
				f(b, p, s)
				b.StopTimer()
				// On a shared machine the CPU time the process spent is a
				// steadier figure than the wall time.
				b.ReportMetric(float64((cpuTime(b)-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// BenchmarkDiff times what the "diff" phase of `schemadiff plan` times
// (diff.DiffWith) on the catalogs of Generate(n), read once from real
// databases: the plan of its three changes, the plan creating the whole
// schema and the one dropping it. The ratio of the ns/op of two sizes shows how the diff
// grows.
//
//	go test ./internal/bench -run '^$' -bench 'Diff|Order' -benchmem
func BenchmarkDiff(b *testing.B) {
	eachSize(b, func(b *testing.B, p *catalogPair, s scenario) {
		from, to := s.catalogs(p)
		for range b.N {
			if _, err := diff.DiffWith(from, to, diff.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOrder times the "order" phase (dag.Order) of the changes
// BenchmarkDiff computes.
func BenchmarkOrder(b *testing.B) {
	eachSize(b, func(b *testing.B, p *catalogPair, s scenario) {
		changes := s.changes(p)
		for range b.N {
			if _, err := dag.Order(changes); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("reading the CPU time: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
