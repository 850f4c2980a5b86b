package migrate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// historyRow is one row of the history table.
type historyRow struct {
	version   string
	name      string
	appliedAt time.Time
	duration  time.Duration
	checksum  string
}

// TableName is a table's schema and name, unquoted.
type TableName struct{ Schema, Name string }

// HistoryTables reads a history table name as Options.Table takes it,
// "table" (in schema public) or "schema.table", empty for DefaultTable, and
// returns the history table and its companion that records failed
// migrations: the same name with "_failures" appended, in the same schema.
// Introspection reads it the same way, to leave both out of every catalog.
func HistoryTables(table string) (history, failures TableName, err error) {
	name := table
	if name == "" {
		name = DefaultTable
	}
	parts := strings.Split(name, ".")
	if len(parts) == 1 {
		parts = []string{"public", parts[0]}
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return TableName{}, TableName{}, fmt.Errorf("invalid history table name %q: want \"table\" or \"schema.table\"", table)
	}
	return TableName{parts[0], parts[1]}, TableName{parts[0], parts[1] + "_failures"}, nil
}

// tableIdents returns the quoted names of the history table and of its
// failures table (see HistoryTables).
func tableIdents(table string) (history, failures string, err error) {
	h, f, err := HistoryTables(table)
	if err != nil {
		return "", "", err
	}
	return pgx.Identifier{h.Schema, h.Name}.Sanitize(), pgx.Identifier{f.Schema, f.Name}.Sanitize(), nil
}

// createHistorySQL and createFailuresSQL create the bookkeeping tables. The
// failures table was added after the history table, so it is created on its
// own: a database migrated by an older runtime just gains it.
const (
	createHistorySQL = `CREATE TABLE IF NOT EXISTS %s (
	version text PRIMARY KEY,
	name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	duration_ms bigint NOT NULL,
	checksum text NOT NULL
)`
	createFailuresSQL = `CREATE TABLE IF NOT EXISTS %s (
	version text PRIMARY KEY,
	name text NOT NULL,
	direction text NOT NULL,
	failed_at timestamptz NOT NULL DEFAULT now(),
	step integer NOT NULL,
	steps integer NOT NULL,
	statement text NOT NULL,
	error text,
	dirty boolean NOT NULL,
	pid integer NOT NULL
)`
)

// ensureTables creates the history and failures tables if they do not
// exist. It runs under the migration lock, so migrators never race to create
// them, and it only issues CREATE for a missing table, so a role without the
// CREATE privilege can use tables that already exist.
func (m *Migrator) ensureTables(ctx context.Context) error {
	for _, t := range []struct{ ident, ddl string }{
		{m.table, createHistorySQL},
		{m.failures, createFailuresSQL},
	} {
		exists, err := m.relExists(ctx, t.ident)
		if err != nil {
			return err
		}
		if exists {
			continue
		}
		if _, err := m.conn.Exec(ctx, fmt.Sprintf(t.ddl, t.ident)); err != nil {
			return fmt.Errorf("creating table %s: %w", t.ident, err)
		}
	}
	return nil
}

// relExists reports whether the quoted relation name ident exists.
func (m *Migrator) relExists(ctx context.Context, ident string) (bool, error) {
	var exists bool
	if err := m.conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", ident).Scan(&exists); err != nil {
		return false, fmt.Errorf("looking up table %s: %w", ident, err)
	}
	return exists, nil
}

// readHistory returns the history rows sorted by version. A missing history
// table reads as empty.
func (m *Migrator) readHistory(ctx context.Context) ([]historyRow, error) {
	exists, err := m.relExists(ctx, m.table)
	if err != nil || !exists {
		return nil, err
	}
	rows, err := m.conn.Query(ctx, "SELECT version, name, applied_at, duration_ms, checksum FROM "+m.table+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("reading history table %s: %w", m.table, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (historyRow, error) {
		var h historyRow
		var ms int64
		err := r.Scan(&h.version, &h.name, &h.appliedAt, &ms, &h.checksum)
		h.duration = time.Duration(ms) * time.Millisecond
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading history table %s: %w", m.table, err)
	}
	return out, nil
}
