// Package migrate is the runtime behind schemadiff's generated Go migration
// files: it holds a package's migrations in a Set, applies and rolls them back
// against PostgreSQL while recording them in a history table, and provides the
// entry point of the small program that `schemadiff apply`, `rollback` and
// `status` compile around a migrations package.
package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is what a Func step gets to run its queries on. It is satisfied by
// *pgx.Conn and pgx.Tx: inside a transactional migration it is the migration's
// transaction, otherwise the migrator's connection.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

var (
	_ DB = (*pgx.Conn)(nil)
	_ DB = pgx.Tx(nil)
)

// Step is one step of a migration: an SQL statement or a Go function. Build
// steps with SQL, SQLNoTx, SQLCommitFirst or Func.
type Step struct {
	sql  string
	fn   func(ctx context.Context, db DB) error
	mode stepMode
	// index is the index the step builds, for a step made with
	// SQLCreateIndexConcurrently; nil otherwise.
	index *indexName
}

// indexName is a possibly schema-qualified index name.
type indexName struct {
	schema, name string
}

// quoted returns the name quoted for SQL.
func (n indexName) quoted() string {
	if n.schema == "" {
		return pgx.Identifier{n.name}.Sanitize()
	}
	return pgx.Identifier{n.schema, n.name}.Sanitize()
}

// stepMode is how a step runs relative to its migration's transaction.
type stepMode int

const (
	inTx        stepMode = iota // in the migration's transaction
	noTx                        // outside any transaction (SQLNoTx)
	commitFirst                 // in its own transaction, before the rest (SQLCommitFirst)
)

// SQL returns a step that executes statement. The string may hold several
// statements separated by semicolons.
func SQL(statement string) Step {
	return Step{sql: statement}
}

// SQLNoTx returns a step that executes statement outside any transaction, as
// CREATE INDEX CONCURRENTLY and a few other commands require. A migration that
// contains such a step runs without a transaction: each of its steps runs on
// its own, and its history row is written after the last step succeeds.
func SQLNoTx(statement string) Step {
	return Step{sql: statement, mode: noTx}
}

// SQLCreateIndexConcurrently returns a step that executes statement, a
// CREATE [UNIQUE] INDEX CONCURRENTLY building the index schema.index (schema
// may be "" for the search path), outside any transaction like SQLNoTx. A
// build that fails leaves an INVALID index behind; for this step the runner
// knows which, so it drops it (DROP INDEX CONCURRENTLY) and, when the build
// gave up on its lock_timeout, tries again (see Options.DDLLockRetries).
// When the build still fails, nothing of the step remains: a migration whose
// first step it is stays pending instead of becoming dirty.
func SQLCreateIndexConcurrently(schema, index, statement string) Step {
	return Step{sql: statement, mode: noTx, index: &indexName{schema: schema, name: index}}
}

// SQLCommitFirst returns a step that executes statement in a transaction of
// its own, committed before the rest of the migration runs in its one
// transaction: ALTER TYPE ... ADD VALUE, whose new value PostgreSQL refuses
// to use before it commits. Such steps must come first in Up (or Down), and
// must be safe to run again (ADD VALUE IF NOT EXISTS): when a later step
// fails, they stay committed and the migration is run again from the start.
// In a migration with an SQLNoTx step, every step runs on its own anyway.
func SQLCommitFirst(statement string) Step {
	return Step{sql: statement, mode: commitFirst}
}

// Func returns a hand-written step, for work that is awkward in plain SQL such
// as a data backfill.
func Func(fn func(ctx context.Context, db DB) error) Step {
	return Step{fn: fn}
}

// Statement returns the step's SQL, or "" for a Func step.
func (s Step) Statement() string { return s.sql }

// IsFunc reports whether the step is a Go function.
func (s Step) IsFunc() bool { return s.fn != nil }

// NoTx reports whether the step must run outside a transaction.
func (s Step) NoTx() bool { return s.mode == noTx }

// CommitsFirst reports whether the step commits, in a transaction of its
// own, before the rest of its migration.
func (s Step) CommitsFirst() bool { return s.mode == commitFirst }

// String describes the step: its SQL, or "(go function)".
func (s Step) String() string {
	if s.fn != nil {
		return "(go function)"
	}
	return s.sql
}

// run executes the step on db.
func (s Step) run(ctx context.Context, db DB) error {
	if s.fn != nil {
		return s.fn(ctx, db)
	}
	if strings.TrimSpace(s.sql) == "" {
		return nil
	}
	_, err := db.Exec(ctx, s.sql)
	return err
}

// Migration is one schema change, with the steps that make it and the steps
// that undo it.
type Migration struct {
	// Version is the migration's 14-digit timestamp (YYYYMMDDhhmmss); it
	// orders migrations and identifies them in the history table.
	Version string
	// Name is a short description such as "add_orders".
	Name string
	// Parent is the version this migration was generated against: the
	// previous migration's version, or "" for the first migration.
	Parent string
	// Up applies the change; Down reverts it.
	Up, Down []Step
	// StatementTimeout and LockTimeout bound each statement of this
	// migration (PostgreSQL's statement_timeout and lock_timeout), overriding
	// the runner's Options.StatementTimeout and Options.DDLLockTimeout: zero
	// keeps the runner's value, a negative value turns the timeout off.
	StatementTimeout, LockTimeout time.Duration
	// LockRetries is how many times a statement of this migration that gave
	// up on its lock_timeout is tried again (see Options.DDLLockRetries),
	// overriding the runner's value: zero keeps the runner's value, a
	// negative value turns retries off. A migration whose lock timeout is
	// off is never retried.
	LockRetries int
}

// String returns "version name".
func (m Migration) String() string {
	if m.Name == "" {
		return m.Version
	}
	return m.Version + " " + m.Name
}

// Checksum returns the SHA-256 (hex) of the Up steps' SQL joined by newlines,
// with each Func step contributing "func". The history table stores it so that
// Status can tell when a migration was edited after it was applied.
func (m Migration) Checksum() string {
	parts := make([]string, len(m.Up))
	for i, s := range m.Up {
		if s.fn != nil {
			parts[i] = "func"
		} else {
			parts[i] = s.sql
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return hex.EncodeToString(sum[:])
}

// needsNoTx reports whether any of steps must run outside a transaction.
func needsNoTx(steps []Step) bool {
	for _, s := range steps {
		if s.mode == noTx {
			return true
		}
	}
	return false
}

// commitFirstSteps returns how many steps at the start of steps commit
// first.
func commitFirstSteps(steps []Step) int {
	n := 0
	for n < len(steps) && steps[n].mode == commitFirst {
		n++
	}
	return n
}

// misplacedCommitFirst describes the first SQLCommitFirst step of steps
// that follows another kind of step, or returns "".
func misplacedCommitFirst(steps []Step) string {
	n := commitFirstSteps(steps)
	for i := n; i < len(steps); i++ {
		if steps[i].mode == commitFirst {
			return fmt.Sprintf("step %d is SQLCommitFirst but follows step %d, which is not: steps that commit first run before the rest of the migration, so they must come first", i+1, i)
		}
	}
	return ""
}

// MigrationError is returned when a step of a migration fails, or when the
// migration's history row cannot be written or committed.
type MigrationError struct {
	Version string
	Name    string
	// Step is the 1-based number of the failing step, or 0 when the steps
	// succeeded and recording or committing the migration failed.
	Step int
	// Steps is the number of steps the migration has in that direction.
	Steps int
	// SQL is the failing statement; "" for a Func step.
	SQL string
	// Down is true when the failure happened while rolling back.
	Down bool
	// NoTx is true when the migration ran without a transaction, so the
	// steps before Step stayed applied and the migration is now recorded as
	// dirty (see DirtyError and Migrator.Resolve), unless the failing step
	// was step 1 and left nothing behind (see Dirty).
	NoTx bool
	// Committed is the number of SQLCommitFirst steps that committed before
	// the failure: they stay applied, and are safe to run again.
	Committed int
	// Timeout is "statement_timeout" or "lock_timeout" when that timeout
	// cancelled the statement, else "".
	Timeout string
	// TimeoutValue is the timeout in effect when the runner set it; zero
	// when it came from the server, database or role settings.
	TimeoutValue time.Duration
	// Wait is what the statement was waiting for when its lock_timeout
	// fired, as seen from another connection shortly before; nil when
	// unknown.
	Wait *LockWait
	// Attempts is how many times the failing statement (the whole
	// migration, when it runs in a transaction) was tried; retries follow a
	// lock_timeout only.
	Attempts int
	// Index is the quoted name of the index the failing step builds
	// CONCURRENTLY (SQLCreateIndexConcurrently), else "".
	Index string
	// LeftNothing is true when the failing step of a migration without a
	// transaction left nothing behind: it ran in an implicit transaction of
	// its own that rolled back, or the runner dropped the INVALID index its
	// CREATE INDEX CONCURRENTLY left.
	LeftNothing bool
	// InvalidIndex is the quoted name of an INVALID index the failing step
	// left behind that the runner could not drop, else "".
	InvalidIndex string
	// Err is the underlying error, usually a *pgconn.PgError.
	Err error
}

// Dirty reports whether the failure leaves the migration dirty: it ran
// without a transaction and part of it may have stayed applied.
func (e *MigrationError) Dirty() bool {
	return e.NoTx && !(e.Step == 1 && e.LeftNothing)
}

// maxSQLInError is how much of a failing statement an error message shows.
const maxSQLInError = 200

// Error names the migration, the step and the statement, and the timeout
// that fired, if one did.
func (e *MigrationError) Error() string {
	var b strings.Builder
	if e.Down {
		b.WriteString("rolling back ")
	}
	fmt.Fprintf(&b, "migration %s", e.Version)
	if e.Name != "" {
		fmt.Fprintf(&b, " (%s)", e.Name)
	}
	if e.Step == 0 {
		fmt.Fprintf(&b, ": recording it in the history table: %v", e.Err)
	} else {
		what := "(go function)"
		if e.SQL != "" {
			what = shorten(e.SQL, maxSQLInError)
		}
		fmt.Fprintf(&b, ": step %d failed: %s: %s%v", e.Step, what, e.timeoutText(), e.Err)
	}
	if e.Committed > 0 && !e.NoTx {
		again := "apply runs it again from step 1"
		if e.Down {
			again = "rollback runs its Down steps again from step 1"
		}
		fmt.Fprintf(&b, " (%s committed first and stay applied; they are safe to run again: %s)", stepRange(1, e.Committed), again)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	if e.NoTx {
		b.WriteString(e.noTxText())
	}
	return b.String()
}

// noTxText explains, for a migration without a transaction, what the
// failure left applied and what to do.
func (e *MigrationError) noTxText() string {
	var b strings.Builder
	switch {
	case !e.Dirty():
		undone := "it rolled back on its own"
		if e.Index != "" {
			undone = "the INVALID index " + e.Index + " it left was dropped"
		}
		fmt.Fprintf(&b, " (it runs without a transaction, but step 1 left nothing behind: %s; the migration stays pending and the next apply runs it again)", undone)
	case e.Step > 1:
		fmt.Fprintf(&b, " (it runs without a transaction, so steps 1-%d stay applied and it is recorded as dirty: fix the database by hand, then run resolve --version %s --applied or --pending)", e.Step-1, e.Version)
	case e.Step == 1:
		fmt.Fprintf(&b, " (it runs without a transaction, so it is recorded as dirty: check what step 1 left behind, then run resolve --version %s --pending or --applied)", e.Version)
	default:
		fmt.Fprintf(&b, " (it runs without a transaction, so all its steps stay applied and it is recorded as dirty: run resolve --version %s --applied)", e.Version)
	}
	switch {
	case e.InvalidIndex != "":
		fmt.Fprintf(&b, "; step %d left the INVALID index %s, which could not be dropped: drop it with DROP INDEX CONCURRENTLY IF EXISTS %s", e.Step, e.InvalidIndex, e.InvalidIndex)
	case e.Dirty() && e.LeftNothing && e.Index != "":
		fmt.Fprintf(&b, "; step %d left nothing behind: the INVALID index %s it left was dropped", e.Step, e.Index)
	case e.Dirty() && e.LeftNothing:
		fmt.Fprintf(&b, "; step %d left nothing behind: it rolled back on its own", e.Step)
	}
	return b.String()
}

// timeoutText says which timeout cancelled the statement, or is "".
func (e *MigrationError) timeoutText() string {
	switch e.Timeout {
	case "statement_timeout":
		if e.TimeoutValue > 0 {
			return fmt.Sprintf("statement_timeout (%s) fired: the statement ran longer than the migration's statement timeout (raise Migration.StatementTimeout or --statement-timeout): ", e.TimeoutValue)
		}
		return "statement_timeout (set on the server, database or role) fired: the statement ran too long: "
	case "lock_timeout":
		value := "(set on the server, database or role)"
		if e.TimeoutValue > 0 {
			value = "(" + e.TimeoutValue.String() + ")"
		}
		why := "another session held a conflicting lock longer than that"
		if e.Index != "" {
			why = "CREATE INDEX CONCURRENTLY waits for every transaction that was writing to the table or held a snapshot when a phase of its build began to finish, and one ran longer than that"
		}
		return fmt.Sprintf("lock_timeout %s fired: %s%s (retry when it is idle, or raise Migration.LockTimeout or --ddl-lock-timeout): ", value, why, e.Wait.text())
	}
	return ""
}

// Unwrap returns the underlying error.
func (e *MigrationError) Unwrap() error { return e.Err }

// shorten collapses runs of white space and cuts s to at most n runes.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "..."
}
