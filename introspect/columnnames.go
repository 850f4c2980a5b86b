package introspect

import (
	"context"
	"fmt"
)

// columnNames maps a relation's oid and a column's attnum to the column's
// name.
type columnNames map[uint32]map[int16]string

func (m columnNames) add(rel uint32, attnum int16, name string) {
	cols := m[rel]
	if cols == nil {
		cols = map[int16]string{}
		m[rel] = cols
	}
	cols[attnum] = name
}

// columnKeys is a list of columns of a relation given by attnums (a
// constraint's conkey or confkey), whose names go to names.
type columnKeys struct {
	names   *[]string
	rel     uint32
	attnums []int16
	// always makes names an empty list, not nil, when no column is
	// named.
	always bool
}

// attributeNamesQuery reads the names of every attribute of some
// relations, system columns included: those of the relations that
// columns() did not read (tables excluded from the catalog, typed tables,
// ...) and of the system columns a CHECK constraint may use (tableoid).
const attributeNamesQuery = `SELECT a.attrelid, a.attnum, a.attname FROM pg_catalog.pg_attribute a
		WHERE a.attrelid = ANY($1::pg_catalog.text::pg_catalog.oid[])`

// nameColumns sets the names of each of keys, in the order of their
// attnums, from the columns already read or else from the database. An
// attnum that names no column is left out.
func (r *reader) nameColumns(ctx context.Context, keys []columnKeys) error {
	missing := r.missingColumns(keys)
	if len(missing) > 0 {
		if err := r.readColumnNames(ctx, missing); err != nil {
			return fmt.Errorf("reading the names of the columns of constraints: %w", err)
		}
	}
	for _, k := range keys {
		names := make([]string, 0, len(k.attnums))
		cols := r.columnNames[k.rel]
		for _, n := range k.attnums {
			if name, ok := cols[n]; ok {
				names = append(names, name)
			}
		}
		if len(names) == 0 && !k.always {
			names = nil
		}
		*k.names = names
	}
	return nil
}

// missingColumns returns the relations of keys with an attnum that
// columnNames lacks.
func (r *reader) missingColumns(keys []columnKeys) []uint32 {
	seen := map[uint32]bool{}
	var missing []uint32
	for _, k := range keys {
		cols := r.columnNames[k.rel]
		for _, n := range k.attnums {
			if _, ok := cols[n]; !ok && !seen[k.rel] {
				seen[k.rel] = true
				missing = append(missing, k.rel)
			}
		}
	}
	return missing
}

// readColumnNames adds every attribute of rels to columnNames.
func (r *reader) readColumnNames(ctx context.Context, rels []uint32) error {
	list := make([]byte, 0, 12*len(rels))
	list = append(list, '{')
	for i, rel := range rels {
		if i > 0 {
			list = append(list, ',')
		}
		list = fmt.Appendf(list, "%d", rel)
	}
	list = append(list, '}')
	rows, err := r.tx.Query(ctx, attributeNamesQuery, queryMode, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			rel    uint32
			attnum int16
			name   string
		)
		if err := rows.Scan(&rel, &attnum, &name); err != nil {
			return err
		}
		r.columnNames.add(rel, attnum, name)
	}
	return rows.Err()
}
