// Package introspect reads a PostgreSQL database's catalogs into a
// schema.Catalog. It runs a fixed handful of set-based queries for the whole
// database (never one per table) inside one read-only snapshot, with an empty
// search_path so that every name PostgreSQL prints is schema-qualified and
// both sides of a diff are rendered the same way.
package introspect

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/migrate"
	"github.com/schemadiff/schemadiff/schema"
)

// DB is what introspection needs from a connection: *pgx.Conn and
// *pgxpool.Pool satisfy it.
type DB interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// Options narrow what is read.
type Options struct {
	// Schemas, when non-empty, keeps only schemas matching one of these
	// patterns (path.Match syntax, e.g. "app_*").
	Schemas []string
	// ExcludeSchemas drops schemas matching any of these patterns.
	ExcludeSchemas []string
	// ExcludeTables drops tables whose name or schema.name matches any of
	// these patterns.
	ExcludeTables []string
	// NoPrivileges leaves privileges out, so plans neither grant nor
	// revoke anything.
	NoPrivileges bool
	// HistoryTable is the migration runner's history table, as its --table
	// option takes it (see migrate.HistoryTables; empty for the default).
	// It and its failures table are never part of a catalog.
	HistoryTable string
}

// Inspect reads the database into a catalog.
func Inspect(ctx context.Context, db DB, opts Options) (*schema.Catalog, error) {
	return InspectConcurrently(ctx, db, nil, opts)
}

// InspectConcurrently is Inspect with a second connection to the same
// database, helper, which runs the heaviest queries at the same time as db
// runs the others, in the same snapshot. helper may be nil; nothing else
// may use it until InspectConcurrently returns. When the server cannot
// share its snapshot, db reads everything.
func InspectConcurrently(ctx context.Context, db, helper DB, opts Options) (*schema.Catalog, error) {
	cat, _, err := InspectTables(ctx, db, helper, opts, nil)
	return cat, err
}

// localSettings are the settings of an introspection transaction: an
// empty search_path, so that every name PostgreSQL prints is
// schema-qualified; enough work_mem for the sorts and hashes of the
// larger queries to stay in memory (with the default 4MB, the column and
// dependency rows of 1,000 tables are sorted on disk); and no JIT
// compilation, which the planner's estimates for the larger queries can
// trigger on some 10,000 tables, where compiling one query took 0.6 s.
const localSettings = "SET LOCAL search_path = ''; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off"

// queryMode is how the queries of an introspection are sent: each runs
// once per transaction, so it is parsed, planned and run in one round trip
// instead of being prepared first (pgx's default), which costs a round
// trip and a prepared statement per query that nothing runs again.
const queryMode = pgx.QueryExecModeExec

// errNoSnapshot is returned (wrapped) when the snapshot of the
// introspection cannot be shared with a second connection.
var errNoSnapshot = errors.New("cannot share the snapshot")

func inspect(ctx context.Context, db, helper DB, opts Options, reuse *Reuse) (*schema.Catalog, TableOIDs, error) {
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, fmt.Errorf("starting introspection transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
	if _, err := tx.Exec(ctx, localSettings); err != nil {
		return nil, nil, fmt.Errorf("setting up the introspection transaction: %w", err)
	}
	history, failures, err := migrate.HistoryTables(opts.HistoryTable)
	if err != nil {
		return nil, nil, err
	}
	r := &reader{tx: tx, cat: schema.NewCatalog(), extraDeps: map[schema.ID][]schema.ID{},
		history: [2]migrate.TableName{history, failures}, reuse: newReused(reuse)}
	if err := r.reuse.resolve(ctx, tx); err != nil {
		return nil, nil, err
	}
	if helper != nil {
		var snapshot string
		if err := tx.QueryRow(ctx, "SELECT pg_catalog.pg_export_snapshot()", queryMode).Scan(&snapshot); err != nil {
			return nil, nil, fmt.Errorf("%w: %v", errNoSnapshot, err)
		}
		r.lane = newLane(r.reuse.sql)
		laneCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			r.lane.run(laneCtx, helper, snapshot)
		}()
		defer func() {
			cancel()
			<-done
		}()
		if helperFirst {
			<-done
		}
	}
	steps := []struct {
		what string
		fn   func(context.Context) error
	}{
		{"schemas", r.schemas},
		{"extensions", r.extensions},
		{"enums", r.enums},
		{"sequences", r.sequences},
		{"tables", r.tables},
		{"columns", r.columns},
		{"constraints", r.constraints},
		{"constraints partitions copy from their parents", r.parentConstraints},
		{"indexes", r.indexes},
		{"attached indexes", r.attachedIndexes},
		{"statistics", r.statistics},
		{"collations", r.collations},
		{"domains", r.domains},
		{"composite types", r.composites},
		{"range types", r.ranges},
		{"views", r.views},
		{"functions", r.functions},
		{"aggregates", r.aggregates},
		{"triggers", r.triggers},
		{"rules", r.rules},
		{"event triggers", r.eventTriggers},
		{"foreign servers", r.servers},
		{"user mappings", r.userMappings},
		{"foreign tables", r.foreignTables},
		{"policies", r.policies},
		{"publications", r.publications},
		{"privileges", r.grants},
		{"default privileges", r.defaultPrivileges},
		{"unsupported objects", r.unsupported},
		{"casts", r.casts},
		{"user-defined casts", r.userCasts},
	}
	for _, s := range steps {
		if (s.what == "privileges" || s.what == "default privileges") && opts.NoPrivileges {
			continue
		}
		if err := s.fn(ctx); err != nil {
			return nil, nil, fmt.Errorf("introspecting %s: %w", s.what, err)
		}
	}
	deps, err := r.dependencies(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("introspecting dependencies: %w", err)
	}
	for id, extra := range r.extraDeps {
		deps[id] = appendNew(deps[id], extra...)
	}
	attachDeps(r.cat, deps, r.reuse.has)
	pruneUnsupported(r.cat)
	filter(r.cat, opts)
	return r.cat, r.readOIDs(), nil
}

// readOIDs returns the OIDs of the tables of the catalog read.
func (r *reader) readOIDs() TableOIDs {
	out := make(TableOIDs, len(r.allTableOIDs))
	for oid, q := range r.allTableOIDs {
		if _, ok := r.cat.Tables[q]; ok {
			out[oid] = q
		}
	}
	return out
}

type reader struct {
	tx  pgx.Tx
	cat *schema.Catalog
	// tableOIDs maps a table's oid to its model, for the tables read
	// (not reused).
	tableOIDs map[uint32]*schema.Table
	// columnNames are the names of the columns of tableOIDs.
	columnNames columnNames
	// allTableOIDs names every table by its oid, reused or read.
	allTableOIDs TableOIDs
	// reuse is what is taken from an earlier read, or nil.
	reuse *reused
	// extraDeps are dependencies found outside the dependency query.
	extraDeps map[schema.ID][]schema.ID
	// history are the migration history table and its failures table.
	history [2]migrate.TableName
	// lane hands some queries to a second connection, when there is one.
	lane *lane
}

// notHistoryTable is an SQL condition that the relation named by the
// columns nsp and rel is neither of the history tables.
func (r *reader) notHistoryTable(nsp, rel string) string {
	var pairs []string
	for _, t := range r.history {
		pairs = append(pairs, "("+schema.Literal(t.Schema)+", "+schema.Literal(t.Name)+")")
	}
	return "(" + nsp + ", " + rel + ") NOT IN (" + strings.Join(pairs, ", ") + ")"
}

func matchAny(patterns []string, names ...string) bool {
	for _, p := range patterns {
		for _, n := range names {
			if ok, _ := path.Match(p, n); ok {
				return true
			}
		}
	}
	return false
}

// filter drops what opts exclude, and the history table.
func filter(cat *schema.Catalog, opts Options) {
	keepSchema := func(s string) bool {
		if len(opts.Schemas) > 0 && !matchAny(opts.Schemas, s) {
			return false
		}
		return !matchAny(opts.ExcludeSchemas, s)
	}
	for name := range cat.Schemas {
		if !keepSchema(name) {
			delete(cat.Schemas, name)
		}
	}
	for name, e := range cat.Extensions {
		if !keepSchema(e.Schema) {
			delete(cat.Extensions, name)
		}
	}
	for q := range cat.Enums {
		if !keepSchema(q.Schema) {
			delete(cat.Enums, q)
		}
	}
	for q, s := range cat.Sequences {
		if !keepSchema(q.Schema) || (s.OwnedBy != nil && matchAny(opts.ExcludeTables, s.OwnedBy.Table.Name, s.OwnedBy.Table.String())) {
			delete(cat.Sequences, q)
		}
	}
	for q := range cat.Tables {
		if !keepSchema(q.Schema) || matchAny(opts.ExcludeTables, q.Name, q.String()) {
			delete(cat.Tables, q)
		}
	}
	for q := range cat.Views {
		if !keepSchema(q.Schema) || matchAny(opts.ExcludeTables, q.Name, q.String()) {
			delete(cat.Views, q)
		}
	}
	for id := range cat.Functions {
		if !keepSchema(id.Schema) {
			delete(cat.Functions, id)
		}
	}
	for q := range cat.Domains {
		if !keepSchema(q.Schema) {
			delete(cat.Domains, q)
		}
	}
	for q := range cat.Ranges {
		if !keepSchema(q.Schema) {
			delete(cat.Ranges, q)
		}
	}
	for q := range cat.Composites {
		if !keepSchema(q.Schema) {
			delete(cat.Composites, q)
		}
	}
	for q := range cat.Collations {
		if !keepSchema(q.Schema) {
			delete(cat.Collations, q)
		}
	}
	if len(opts.Schemas) > 0 {
		// They belong to the whole database, which a schema filter narrows
		// down.
		clear(cat.EventTriggers)
		clear(cat.Publications)
	}
	for _, p := range cat.Publications {
		// The tables and schemas left out are not managed: their
		// membership is neither added nor dropped.
		p.Tables = orNil(slices.DeleteFunc(p.Tables, func(m *schema.PublicationTable) bool {
			_, kept := cat.Tables[m.Table]
			return !kept
		}))
		p.Schemas = orNil(slices.DeleteFunc(p.Schemas, func(s string) bool { return !keepSchema(s) }))
	}
	for k := range cat.DefaultPrivileges {
		// Those for every schema belong to the whole database, which a
		// schema filter narrows down.
		if k.Schema == "" && len(opts.Schemas) > 0 || k.Schema != "" && !keepSchema(k.Schema) {
			delete(cat.DefaultPrivileges, k)
		}
	}
	cat.Unsupported = orNil(slices.DeleteFunc(cat.Unsupported, func(id schema.ID) bool {
		return !keepSchema(id.Schema) && id.Kind != schema.KindSchema
	}))
}
