package migrate

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// enumMigrations returns v1, which creates an enum and a table, and v2,
// which adds a value and uses it in the same migration, in Up and in Down.
func enumMigrations() []Migration {
	return []Migration{
		{Version: v1, Name: "create_orders",
			Up: []Step{
				SQL("CREATE TYPE status AS ENUM ('new', 'paid')"),
				SQL("CREATE TABLE orders (id bigint PRIMARY KEY, s status NOT NULL DEFAULT 'new')"),
				SQL("INSERT INTO orders VALUES (1, 'new'), (2, 'paid')"),
			},
			Down: []Step{SQL("DROP TABLE orders"), SQL("DROP TYPE status")}},
		{Version: v2, Name: "shipped", Parent: v1,
			Up: []Step{
				SQLCommitFirst("ALTER TYPE status ADD VALUE IF NOT EXISTS 'shipped' AFTER 'paid'"),
				SQL("ALTER TABLE orders ALTER COLUMN s SET DEFAULT 'shipped'"),
				SQL("CREATE INDEX orders_shipped ON orders (id) WHERE s = 'shipped'"),
				SQL("INSERT INTO orders VALUES (3, DEFAULT)"),
			},
			Down: []Step{
				SQL("DROP INDEX orders_shipped"),
				SQL("ALTER TABLE orders ALTER COLUMN s SET DEFAULT 'new'"),
				SQL("DELETE FROM orders WHERE s = 'shipped'"),
				SQL("ALTER TYPE status RENAME TO status__old"),
				SQL("CREATE TYPE status AS ENUM ('new', 'paid')"),
				SQL("ALTER TABLE orders ALTER COLUMN s DROP DEFAULT"),
				SQL("ALTER TABLE orders ALTER COLUMN s TYPE status USING s::text::status"),
				SQL("ALTER TABLE orders ALTER COLUMN s SET DEFAULT 'new'"),
				SQL("DROP TYPE status__old"),
			}},
	}
}

func enumValues(t *testing.T, url string) []string {
	t.Helper()
	var vals []string
	if err := connect(t, url).QueryRow(t.Context(),
		"SELECT coalesce(array_agg(enumlabel::text ORDER BY enumsortorder), '{}') FROM pg_enum WHERE enumtypid = 'status'::regtype").Scan(&vals); err != nil {
		t.Fatal(err)
	}
	return vals
}

func TestCommitFirstAddsAndUsesEnumValue(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	set := newSet(enumMigrations()...)
	m := NewMigrator(conn, set, Options{StatementTimeout: 0})
	if _, err := m.Apply(t.Context(), ""); err != nil {
		t.Fatalf("apply: %v", err)
	}
	var s string
	if err := conn.QueryRow(t.Context(), "SELECT s::text FROM orders WHERE id = 3").Scan(&s); err != nil || s != "shipped" {
		t.Errorf("row 3 = %q, %v", s, err)
	}
	if _, err := m.Rollback(t.Context(), 1); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	if got := enumValues(t, url); !slices.Equal(got, []string{"new", "paid"}) {
		t.Errorf("values after rollback = %v", got)
	}
	if _, err := m.Apply(t.Context(), ""); err != nil {
		t.Fatalf("apply after rollback: %v", err)
	}
}

func TestCommitFirstFailureLater(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := enumMigrations()
	ms[1].Up = append(slices.Clone(ms[1].Up), SQL("INSERT INTO gate VALUES (1)"))
	set := newSet(ms...)
	m := NewMigrator(conn, set, Options{})
	_, err := m.Apply(t.Context(), "")
	me, ok := errors.AsType[*MigrationError](err)
	if !ok || me.Step != 5 || me.Committed != 1 || me.NoTx {
		t.Fatalf("apply: %v", err)
	}
	wantIn(t, "error", err.Error(), "step 1 committed first and stay applied; they are safe to run again: apply runs it again from step 1")
	// The value committed; the rest rolled back.
	if got := enumValues(t, url); !slices.Equal(got, []string{"new", "paid", "shipped"}) {
		t.Errorf("values = %v", got)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1}) {
		t.Errorf("history = %v", got)
	}
	st, err := m.Status(t.Context())
	if err != nil || st[1].Failure == nil || st[1].Failure.Dirty || st[1].Failure.Step != 5 {
		t.Fatalf("status = %+v, %v", st, err)
	}
	// Not dirty: once the cause is fixed, apply runs it again from step 1.
	if _, err := conn.Exec(t.Context(), "CREATE TABLE gate (id int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Apply(t.Context(), ""); err != nil {
		t.Fatalf("apply again: %v", err)
	}
	st, err = m.Status(t.Context())
	if err != nil || st[1].Failure != nil || st[1].State() != "applied" {
		t.Fatalf("status = %+v, %v", st, err)
	}
}

func TestCommitFirstStepFails(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := enumMigrations()
	// A commit-first step that fails: nothing after it runs.
	ms[1].Up = []Step{
		SQLCommitFirst("ALTER TYPE status ADD VALUE IF NOT EXISTS 'shipped' AFTER 'paid'"),
		SQLCommitFirst("ALTER TYPE status ADD VALUE IF NOT EXISTS 'lost' AFTER 'nope'"),
		SQL("ALTER TABLE orders ALTER COLUMN s SET DEFAULT 'lost'"),
	}
	set := newSet(ms...)
	m := NewMigrator(conn, set, Options{})
	_, err := m.Apply(t.Context(), "")
	me, ok := errors.AsType[*MigrationError](err)
	if !ok || me.Step != 2 || me.Committed != 1 {
		t.Fatalf("apply: %v", err)
	}
	if got := enumValues(t, url); !slices.Equal(got, []string{"new", "paid", "shipped"}) {
		t.Errorf("values = %v", got)
	}
	if err := m.checkDirty(t.Context()); err != nil {
		t.Errorf("a failed commit-first step made the migration dirty: %v", err)
	}
}

func TestCommitFirstMustComeFirst(t *testing.T) {
	ms := enumMigrations()
	ms[1].Down = append([]Step{SQL("SELECT 1")}, SQLCommitFirst("ALTER TYPE status ADD VALUE IF NOT EXISTS 'x'"))
	err := newSet(ms...).Validate()
	if err == nil || !strings.Contains(err.Error(), "migration "+v2+" shipped: Down step 2 is SQLCommitFirst but follows step 1, which is not") {
		t.Errorf("Validate() = %v", err)
	}
}

// With an SQLNoTx step, every step runs on its own.
func TestCommitFirstWithNoTx(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := enumMigrations()
	ms[1].Up = append(slices.Clone(ms[1].Up), SQLNoTx("CREATE INDEX CONCURRENTLY orders_s ON orders (s)"))
	if _, err := NewMigrator(conn, newSet(ms...), Options{}).Apply(t.Context(), ""); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if !relExists(t, conn, "orders_s") || !relExists(t, conn, "orders_shipped") {
		t.Error("indexes missing")
	}
}
