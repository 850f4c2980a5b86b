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
	// appliedBy is who applied it, "" when the history table predates the
	// column or the row was written by hand.
	appliedBy string
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
	checksum text NOT NULL,
	applied_by text
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
			if t.ident == m.table {
				m.upgradeHistory(ctx)
			}
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
	if m.hasAppliedBy, err = m.columnExists(ctx, m.table, appliedByColumn); err != nil {
		return nil, err
	}
	appliedBy := "NULL::text"
	if m.hasAppliedBy {
		appliedBy = appliedByColumn
	}
	rows, err := m.conn.Query(ctx, "SELECT version, name, applied_at, duration_ms, checksum, "+appliedBy+" FROM "+m.table+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("reading history table %s: %w", m.table, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (historyRow, error) {
		var h historyRow
		var ms int64
		var by *string
		err := r.Scan(&h.version, &h.name, &h.appliedAt, &ms, &h.checksum, &by)
		h.duration = time.Duration(ms) * time.Millisecond
		if by != nil {
			h.appliedBy = *by
		}
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading history table %s: %w", m.table, err)
	}
	return out, nil
}

// appliedByColumn is the history table's column naming who applied each
// migration. It was added after the table: upgradeHistory adds it to an
// older history table, and a table without it still works.
const appliedByColumn = "applied_by"

// upgradeHistory adds applied_by to a history table that predates it. The
// column is nullable without a default, so adding it neither rewrites nor
// long-locks the table; rows written before read as unknown. A role that
// may not alter the table keeps using it without the column, as the
// warning says.
func (m *Migrator) upgradeHistory(ctx context.Context) {
	has, err := m.columnExists(ctx, m.table, appliedByColumn)
	if err != nil || has {
		return
	}
	if err := m.addAppliedBy(ctx); err != nil {
		m.logf("warning: could not add column %s to history table %s, so who applies migrations is not recorded: %v", appliedByColumn, m.table, err)
		return
	}
	m.logf("added column %s to history table %s", appliedByColumn, m.table)
}

// upgradeLockTimeout bounds the wait for the history table's lock when
// adding a column to it, so that a session holding it does not stall the
// migrations: the upgrade is left for a later run instead.
const upgradeLockTimeout = "5s"

// addAppliedBy adds the applied_by column in a transaction of its own,
// waiting at most upgradeLockTimeout for the table's lock.
func (m *Migrator) addAppliedBy(ctx context.Context) error {
	return pgx.BeginFunc(ctx, m.conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '"+upgradeLockTimeout+"'"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "ALTER TABLE "+m.table+" ADD COLUMN IF NOT EXISTS "+appliedByColumn+" text")
		return err
	})
}

// columnExists reports whether the relation with the quoted name ident
// has the column.
func (m *Migrator) columnExists(ctx context.Context, ident, column string) (bool, error) {
	var exists bool
	err := m.conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_attribute
		WHERE attrelid = to_regclass($1) AND attname = $2 AND attnum > 0 AND NOT attisdropped)`, ident, column).Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("looking up column %s of %s: %w", column, ident, err)
	}
	return exists, nil
}

// insertHistory records mig in the history table on db, with who applied
// it when the table has the column.
func (m *Migrator) insertHistory(ctx context.Context, db DB, mig Migration, duration time.Duration) error {
	if !m.hasAppliedBy {
		_, err := db.Exec(ctx, "INSERT INTO "+m.table+" (version, name, duration_ms, checksum) VALUES ($1, $2, $3, $4)",
			mig.Version, mig.Name, duration.Milliseconds(), mig.Checksum())
		return err
	}
	_, err := db.Exec(ctx, "INSERT INTO "+m.table+" (version, name, duration_ms, checksum, "+appliedByColumn+") VALUES ($1, $2, $3, $4, coalesce($5, current_user))",
		mig.Version, mig.Name, duration.Milliseconds(), mig.Checksum(), m.appliedBy())
	return err
}

// appliedBy is Options.AppliedBy, or nil for the database role.
func (m *Migrator) appliedBy() *string {
	if m.opts.AppliedBy == "" {
		return nil
	}
	return &m.opts.AppliedBy
}
