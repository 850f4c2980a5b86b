package introspect

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/schemadiff/schemadiff/schema"
)

// A second connection to the same database (InspectConcurrently) runs the
// heaviest queries, laneTasks, at the same time as the first runs
// the others, in the first one's snapshot (pg_export_snapshot), so both
// read the same catalog. Each of those queries is run by whichever
// connection reaches it first; rows the second one read wait in memory
// until the steps, which all run in order on the first connection's side,
// reach them: the catalog is built exactly as with one connection.

// laneTasks are what the second connection does, in the order the steps
// need them: the rows of two queries, kept in memory, and the whole
// reading of the dependencies (its rows would take the most memory).
var laneTasks = []laneTask{
	{constraintsQuery, fetchRows},
	{indexesQuery, fetchRows},
	{dependencyQuery, func(ctx context.Context, tx pgx.Tx, sql string) (any, error) { return readDependencies(ctx, tx, sql) }},
}

// laneTask is one thing the second connection can do for the first,
// named by the query it runs; run gets that query as the reader runs it
// (see reused.sql).
type laneTask struct {
	query string
	run   func(ctx context.Context, tx pgx.Tx, sql string) (any, error)
}

// fetchRows is the task of reading the rows of sql into memory.
func fetchRows(ctx context.Context, tx pgx.Tx, sql string) (any, error) { return fetch(ctx, tx, sql) }

// helperFirst makes the first connection wait until the second one has
// run all it can (tests only: every row then comes from memory).
var helperFirst = false

// scanner reads the current row of a query's result.
type scanner interface {
	Scan(dest ...any) error
}

// lane hands the laneTasks to the second connection
// or back to the first.
type lane struct {
	mu   sync.Mutex
	jobs map[string]*laneJob
	// sql turns a query of laneTasks into the one to run.
	sql func(string) string
}

// laneJob is one of laneTasks.
type laneJob struct {
	byHelper bool          // the second connection took it
	done     chan struct{} // closed when byHelper and result or err are set
	result   any
	err      error
}

func newLane(sql func(string) string) *lane {
	l := &lane{jobs: map[string]*laneJob{}, sql: sql}
	for _, t := range laneTasks {
		l.jobs[t.query] = &laneJob{done: make(chan struct{})}
	}
	return l
}

// take is called by the first connection before it runs sql: it returns
// the job when the second connection took it, nil when the first must run
// it (and then the second will not).
func (l *lane) take(sql string) *laneJob {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	j := l.jobs[sql]
	if j == nil {
		return nil
	}
	delete(l.jobs, sql)
	if j.byHelper {
		return j
	}
	return nil
}

// claim is called by the second connection: it returns the job of sql if
// the first connection has not taken it yet.
func (l *lane) claim(sql string) *laneJob {
	l.mu.Lock()
	defer l.mu.Unlock()
	j := l.jobs[sql]
	if j == nil || j.byHelper {
		return nil
	}
	j.byHelper = true
	return j
}

// run does the laneTasks that the first connection has not reached yet on
// helper, in the snapshot exported as snapshot. It
// stops at the first error: the first connection then runs that query and
// the rest itself.
func (l *lane) run(ctx context.Context, helper DB, snapshot string) {
	tx, err := helper.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
	if _, err := tx.Exec(ctx, "SET TRANSACTION SNAPSHOT "+schema.Literal(snapshot)); err != nil {
		return
	}
	if _, err := tx.Exec(ctx, localSettings); err != nil {
		return
	}
	for _, t := range laneTasks {
		j := l.claim(t.query)
		if j == nil {
			continue
		}
		j.result, j.err = t.run(ctx, tx, l.sql(t.query))
		close(j.done)
		if j.err != nil {
			return
		}
	}
}

// fetch reads every row of sql into memory.
func fetch(ctx context.Context, tx pgx.Tx, sql string) (*bufferedRows, error) {
	rows, err := tx.Query(ctx, sql, queryMode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// The connection reuses the field descriptions for its next query.
	b := &bufferedRows{fields: slices.Clone(rows.FieldDescriptions())}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([][]byte, len(raw))
		for i, v := range raw {
			if v != nil {
				row[i] = append(make([]byte, 0, len(v)), v...)
			}
		}
		b.values = append(b.values, row)
	}
	return b, rows.Err()
}

// bufferedRows are rows another connection read.
type bufferedRows struct {
	fields []pgconn.FieldDescription
	values [][][]byte
}

// replay passes each row to scan, decoded with typeMap.
func (b *bufferedRows) replay(typeMap *pgtype.Map, scan func(scanner) error) error {
	for _, row := range b.values {
		if err := scan(bufferedRow{typeMap, b.fields, row}); err != nil {
			return err
		}
	}
	return nil
}

// bufferedRow is one row of bufferedRows.
type bufferedRow struct {
	typeMap *pgtype.Map
	fields  []pgconn.FieldDescription
	values  [][]byte
}

func (r bufferedRow) Scan(dest ...any) error {
	return pgx.ScanRow(r.typeMap, r.fields, r.values, dest...)
}

// wait returns the result of j once the second connection has it, or its
// error.
func (j *laneJob) wait(ctx context.Context) (any, error) {
	select {
	case <-j.done:
		return j.result, j.err
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the second connection: %w", ctx.Err())
	}
}
