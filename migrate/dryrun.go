package migrate

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
)

// PendingApply returns the migrations Apply would run, in order, making the
// same checks (a valid set, no dirty migration, no pending migration older
// than an applied one) without taking the lock or changing the database.
func (m *Migrator) PendingApply(ctx context.Context, toVersion string) ([]Migration, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if toVersion != "" {
		if _, ok := m.set.Lookup(toVersion); !ok {
			return nil, fmt.Errorf("applying up to %s: no migration has that version", toVersion)
		}
	}
	history, err := m.readOnlyHistory(ctx)
	if err != nil {
		return nil, err
	}
	return m.pending(history, toVersion)
}

// PendingRollback returns the migrations Rollback would revert, newest
// first, making the same checks without taking the lock or changing the
// database.
func (m *Migrator) PendingRollback(ctx context.Context, steps int) ([]Migration, error) {
	if steps < 1 {
		return nil, fmt.Errorf("rolling back: the number of migrations to roll back must be at least 1, not %d", steps)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	history, err := m.readOnlyHistory(ctx)
	if err != nil {
		return nil, err
	}
	return m.toRollBack(history, steps)
}

// readOnlyHistory refuses a dirty database and reads the history, creating
// nothing.
func (m *Migrator) readOnlyHistory(ctx context.Context) ([]historyRow, error) {
	if err := m.checkDirty(ctx); err != nil {
		return nil, err
	}
	return m.readHistory(ctx)
}

// dryRun prints what apply or rollback would run, and changes nothing.
func dryRun(ctx context.Context, m *Migrator, c command, stdout, stderr io.Writer) error {
	var todo []Migration
	var err error
	down := c.name == "rollback"
	if down {
		todo, err = m.PendingRollback(ctx, c.steps)
	} else {
		todo, err = m.PendingApply(ctx, c.to)
	}
	if err != nil {
		return err
	}
	if len(todo) == 0 {
		fmt.Fprintln(stderr, "dry run: the database is up to date, nothing would be applied")
		return nil
	}
	verb := "applied"
	if down {
		verb = "rolled back"
	}
	for _, mig := range todo {
		steps := mig.Up
		if down {
			steps = mig.Down
		}
		if _, err := io.WriteString(stdout, describeMigration(mig, steps, down)); err != nil {
			return fmt.Errorf("writing the dry run: %w", err)
		}
	}
	fmt.Fprintf(stderr, "dry run: %s would be %s; nothing was changed\n", plural(len(todo)), verb)
	return nil
}

// describeMigration renders a migration's steps in one direction as an SQL
// script whose comments say how each step runs.
func describeMigration(mig Migration, steps []Step, down bool) string {
	var b strings.Builder
	dir := "Up"
	if down {
		dir = "Down"
	}
	fmt.Fprintf(&b, "-- migration %s: %s, %d step(s), %s\n", mig, dir, len(steps), transactionMode(steps))
	for i, s := range steps {
		fmt.Fprintf(&b, "-- step %d of %d: %s\n", i+1, len(steps), describeStep(s, steps))
		if s.fn != nil {
			continue
		}
		sql := strings.TrimSpace(s.sql)
		if !strings.HasSuffix(sql, ";") {
			sql += ";"
		}
		b.WriteString(sql + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

// transactionMode says how a migration with these steps runs.
func transactionMode(steps []Step) string {
	switch n := commitFirstSteps(steps); {
	case needsNoTx(steps):
		return "without a transaction (each step on its own; a failure leaves it dirty)"
	case n > 0:
		return fmt.Sprintf("in one transaction after %d step(s) committed first", n)
	}
	return "in one transaction"
}

// describeStep says what a step is and how it runs among steps.
func describeStep(s Step, steps []Step) string {
	what := "SQL"
	if s.fn != nil {
		what = "Go function " + funcName(s.fn) + " (its code is not shown)"
	}
	switch {
	case needsNoTx(steps):
		return what + ", outside any transaction"
	case s.mode == commitFirst:
		return what + ", in its own transaction, committed first"
	}
	return what + ", in the migration's transaction"
}

// funcName returns the name the compiler gave fn, e.g.
// "example.com/app/migrations.backfillOrders".
func funcName(fn func(context.Context, DB) error) string {
	if f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()); f != nil {
		return f.Name()
	}
	return "(unnamed)"
}
