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
	// filter replaces tableFilter: the list of the tables to read (see
	// resolve).
	filter string
}

func newReused(r *Reuse) *reused {
	if r == nil || r.Catalog == nil || len(r.Unchanged) == 0 {
		return nil
	}
	return &reused{from: r, tables: map[schema.QName]bool{}}
}

// resolve lists, in the snapshot of tx, the tables to read: those of
// tableFilter not unchanged. The queries on parts of tables then name
// them (an index scan each) instead of joining every part of every
// table with tableFilter.
func (u *reused) resolve(ctx context.Context, tx pgx.Tx) error {
	if u == nil {
		return nil
	}
	unchanged := make([]string, 0, len(u.from.Unchanged))
	for oid := range u.from.Unchanged {
		unchanged = append(unchanged, strconv.FormatUint(uint64(oid), 10))
	}
	// A constant array (digits only) of nine elements or more is searched
	// through a hash table.
	rows, err := tx.Query(ctx, `SELECT t.oid FROM `+tableFilter+` t (oid)
		WHERE t.oid <> ALL ('{`+strings.Join(unchanged, ",")+`}'::pg_catalog.oid[]) ORDER BY 1`, queryMode)
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
	return strings.Replace(query, tableFilter, u.filter, 1)
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
