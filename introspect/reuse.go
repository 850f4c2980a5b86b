package introspect

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema"
)

// A read of a database whose earlier catalog is known, and known to differ
// only in some tables (see Reuse), takes the other tables as they were read
// then: the queries on the parts of tables (columns, constraints, indexes,
// policies, ...) leave them out, and the steps that read other objects
// leave their parts alone.

// TableOIDs names the tables of a catalog by the OID they had when it was
// read.
type TableOIDs map[uint32]schema.QName

// Reuse is an earlier read of the same database and the tables that have
// not changed since.
type Reuse struct {
	// Catalog is the earlier read, with the same Options. The tables
	// taken from it are taken over, not copied.
	Catalog *schema.Catalog
	// Unchanged are the tables of Catalog that have not changed since,
	// nor has anything they refer to, by the OID they had then.
	Unchanged TableOIDs
}

// ErrReuseMismatch is returned (wrapped) by InspectTables when a table
// said to be unchanged is not as the earlier read found it: the caller
// reads the catalog again without reusing it.
var ErrReuseMismatch = errors.New("a table said to be unchanged differs from the earlier read")

// InspectTables is InspectConcurrently, taking the unchanged tables of
// reuse (which may be nil) from its catalog, and also returning the OIDs
// of the tables it read, for a later Reuse.
func InspectTables(ctx context.Context, db, helper DB, opts Options, reuse *Reuse) (*schema.Catalog, TableOIDs, error) {
	cat, oids, err := inspect(ctx, db, helper, opts, reuse)
	if errors.Is(err, errNoSnapshot) {
		return inspect(ctx, db, nil, opts, reuse)
	}
	return cat, oids, err
}

// reused is what a reader takes from a Reuse.
type reused struct {
	from *Reuse
	// tables are the tables taken, by name.
	tables map[schema.QName]bool
	// unchanged is the constant array of the OIDs of the unchanged tables.
	unchanged string
	// filter replaces tableFilter: the list of the tables to read (see
	// resolve).
	filter string
	// dependents replaces dependentFilter: the dependencies of the parts
	// of the tables taken are not read (they are taken with them).
	dependents string
}

func newReused(r *Reuse) *reused {
	if r == nil || r.Catalog == nil || len(r.Unchanged) == 0 {
		return nil
	}
	oids := make([]string, 0, len(r.Unchanged))
	for oid := range r.Unchanged {
		oids = append(oids, strconv.FormatUint(uint64(oid), 10))
	}
	// Digits only; a constant array is searched through a hash table.
	unchanged := "'{" + strings.Join(oids, ",") + "}'::pg_catalog.oid[]"
	parts := func(catalog, oid, table string) string {
		return "SELECT '" + catalog + "'::pg_catalog.regclass::pg_catalog.oid, " + oid + " FROM " + catalog + " WHERE " + table + " = ANY (" + unchanged + ")"
	}
	dependents := dependentFilter + ` AND (d.classid, d.objid) NOT IN (
		SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, u.oid FROM pg_catalog.unnest(` + unchanged + `) u (oid)
		UNION ALL ` + parts("pg_catalog.pg_index", "indexrelid", "indrelid") + `
		UNION ALL ` + parts("pg_catalog.pg_constraint", "oid", "conrelid") + `
		UNION ALL ` + parts("pg_catalog.pg_attrdef", "oid", "adrelid") + `
		UNION ALL ` + parts("pg_catalog.pg_trigger", "oid", "tgrelid") + `
		UNION ALL ` + parts("pg_catalog.pg_policy", "oid", "polrelid") + `)`
	return &reused{from: r, tables: map[schema.QName]bool{}, unchanged: unchanged, dependents: dependents}
}

// resolve lists, in the snapshot of tx, the tables to read: those of
// tableFilter not unchanged. The queries on parts of tables then name
// them (an index scan each) instead of joining every part of every
// table with tableFilter.
func (u *reused) resolve(ctx context.Context, tx pgx.Tx) error {
	if u == nil {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT t.oid FROM `+tableFilter+` t (oid)
		WHERE t.oid <> ALL (`+u.unchanged+`) ORDER BY 1`, queryMode)
	if err != nil {
		return fmt.Errorf("listing the tables to read: %w", err)
	}
	read, err := pgx.CollectRows(rows, pgx.RowTo[uint32])
	if err != nil {
		return fmt.Errorf("listing the tables to read: %w", err)
	}
	var b strings.Builder
	b.WriteString("(0") // no relation has OID 0: the list is never empty
	for _, oid := range read {
		b.WriteByte(',')
		b.WriteString(strconv.FormatUint(uint64(oid), 10))
	}
	b.WriteByte(')')
	u.filter = b.String()
	return nil
}

// sql returns query restricted to the tables not reused.
func (u *reused) sql(query string) string {
	if u == nil {
		return query
	}
	if query == dependencyQuery {
		return strings.Replace(query, dependentFilter, u.dependents, 1)
	}
	return strings.ReplaceAll(query, tableFilter, u.filter)
}

// has says whether the table q was taken from the earlier read.
func (u *reused) has(q schema.QName) bool {
	return u != nil && u.tables[q]
}

// take returns the earlier read of the table fresh (read now, as tables()
// reads it, nothing else yet) when it is unchanged, or nil when it is not
// one of them.
func (u *reused) take(oid uint32, fresh *schema.Table) (*schema.Table, error) {
	if u == nil {
		return nil, nil
	}
	q, ok := u.from.Unchanged[oid]
	if !ok {
		return nil, nil
	}
	old := u.from.Catalog.Tables[q]
	if old == nil || q != fresh.QName {
		return nil, fmt.Errorf("%w: %s (now %s)", ErrReuseMismatch, q, fresh.QName)
	}
	if what := sameTableRow(old, fresh); what != "" {
		return nil, fmt.Errorf("%w: %s: %s", ErrReuseMismatch, q, what)
	}
	u.tables[q] = true
	return old, nil
}

// sameTableRow compares what tables() reads of a table, except what later
// steps change (a foreign table's replica identity): it returns what
// differs, or "".
func sameTableRow(old, fresh *schema.Table) string {
	switch {
	case old.Unlogged != fresh.Unlogged:
		return "persistence"
	case old.Comment != fresh.Comment:
		return "comment"
	case old.PartitionKey != fresh.PartitionKey:
		return "partition key"
	case old.PartitionBound != fresh.PartitionBound || !equalPtr(old.PartitionOf, fresh.PartitionOf):
		return "partition"
	case !slices.Equal(old.Inherits, fresh.Inherits):
		return "parents"
	case !slices.Equal(old.Options, fresh.Options):
		return "storage parameters"
	case old.ClusterOn != fresh.ClusterOn:
		return "cluster index"
	}
	return ""
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
