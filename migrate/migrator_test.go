package migrate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	v1 = "20260101000001"
	v2 = "20260101000002"
	v3 = "20260101000003"
)

// threeMigrations returns the migrations most tests use.
func threeMigrations() []Migration {
	return []Migration{
		{Version: v1, Name: "create_users",
			Up:   []Step{SQL("CREATE TABLE users (id bigint PRIMARY KEY)")},
			Down: []Step{SQL("DROP TABLE users")}},
		{Version: v2, Name: "create_orders", Parent: v1,
			Up:   []Step{SQL("CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users)")},
			Down: []Step{SQL("DROP TABLE orders")}},
		{Version: v3, Name: "add_nickname", Parent: v2,
			Up:   []Step{SQL("ALTER TABLE users ADD COLUMN nickname text")},
			Down: []Step{SQL("ALTER TABLE users DROP COLUMN nickname")}},
	}
}

func newSet(ms ...Migration) *Set {
	s := NewSet()
	for _, m := range ms {
		s.Add(m)
	}
	return s
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func relExists(t *testing.T, conn *pgx.Conn, name string) bool {
	t.Helper()
	var ok bool
	if err := conn.QueryRow(t.Context(), "SELECT to_regclass($1) IS NOT NULL", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func historyVersions(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	rows, err := conn.Query(t.Context(), "SELECT version FROM public.schemadiff_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func versions(ms []Migration) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Version)
	}
	return out
}

// assertUnlocked checks that nobody holds the migration lock in conn's
// database.
func assertUnlocked(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	if n := migrationLockHolders(t, conn); n != 0 {
		t.Errorf("%d sessions still hold the migration lock", n)
	}
}

func TestApplyAndStatus(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	m := NewMigrator(conn, newSet(threeMigrations()...), Options{})
	ctx := t.Context()

	st, err := m.Status(ctx)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	if len(st) != 3 || st[0].State() != "pending" || st[0].Applied {
		t.Fatalf("Status before apply = %+v", st)
	}
	if relExists(t, conn, "schemadiff_migrations") {
		t.Error("Status created the history table")
	}

	before := time.Now().Add(-time.Minute)
	applied, err := m.Apply(ctx, "")
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got := versions(applied); !slices.Equal(got, []string{v1, v2, v3}) {
		t.Fatalf("Apply applied %v", got)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1, v2, v3}) {
		t.Fatalf("history = %v", got)
	}
	var checksum string
	if err := conn.QueryRow(ctx, "SELECT checksum FROM schemadiff_migrations WHERE version = $1", v1).Scan(&checksum); err != nil {
		t.Fatal(err)
	}
	if checksum != threeMigrations()[0].Checksum() {
		t.Errorf("recorded checksum %s, want %s", checksum, threeMigrations()[0].Checksum())
	}
	assertUnlocked(t, conn)

	st, err = m.Status(ctx)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	for i, s := range st {
		if s.Version != threeMigrations()[i].Version || s.Name != threeMigrations()[i].Name || s.State() != "applied" ||
			!s.Applied || s.AppliedAt.Before(before) {
			t.Errorf("status[%d] = %+v", i, s)
		}
	}

	applied, err = m.Apply(ctx, "")
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Apply = %v, %v; want nothing", versions(applied), err)
	}
}

func TestApplyToVersionAndRollback(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()

	var order []string
	ms := threeMigrations()
	for i := range ms {
		down := ms[i].Down[0]
		name := ms[i].Name
		ms[i].Down = []Step{Func(func(ctx context.Context, db DB) error {
			if _, ok := db.(pgx.Tx); !ok {
				return fmt.Errorf("func step got %T, want the migration's transaction", db)
			}
			order = append(order, name)
			return nil
		}), down}
	}
	var logs []string
	m := NewMigrator(conn, newSet(ms...), Options{Logf: func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }})

	applied, err := m.Apply(ctx, v2)
	if err != nil {
		t.Fatalf("Apply(%s): %v", v2, err)
	}
	if got := versions(applied); !slices.Equal(got, []string{v1, v2}) {
		t.Fatalf("Apply(%s) applied %v", v2, got)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1, v2}) {
		t.Fatalf("history = %v", got)
	}
	if _, err := m.Apply(ctx, "20991231000000"); err == nil || !strings.Contains(err.Error(), "no migration has that version") {
		t.Errorf("Apply(unknown version) = %v", err)
	}
	if applied, err = m.Apply(ctx, v1); err != nil || len(applied) != 0 {
		t.Errorf("Apply(%s) after it was applied = %v, %v", v1, versions(applied), err)
	}
	if applied, err = m.Apply(ctx, ""); err != nil || !slices.Equal(versions(applied), []string{v3}) {
		t.Fatalf("Apply() = %v, %v", versions(applied), err)
	}
	if !slices.Contains(logs, "applying "+v3+" add_nickname") {
		t.Errorf("logs lack the applying line: %q", logs)
	}

	reverted, err := m.Rollback(ctx, 2)
	if err != nil {
		t.Fatalf("Rollback(2): %v", err)
	}
	if got := versions(reverted); !slices.Equal(got, []string{v3, v2}) {
		t.Errorf("Rollback(2) reverted %v, want newest first", got)
	}
	if !slices.Equal(order, []string{"add_nickname", "create_orders"}) {
		t.Errorf("Down steps ran in order %v", order)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1}) {
		t.Errorf("history after rollback = %v", got)
	}
	if relExists(t, conn, "orders") || !relExists(t, conn, "users") {
		t.Error("rollback did not drop orders or dropped users")
	}
	var cols int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'").Scan(&cols); err != nil || cols != 0 {
		t.Errorf("nickname column still there (%d, %v)", cols, err)
	}
	assertUnlocked(t, conn)

	if _, err := m.Rollback(ctx, 2); err == nil || !strings.Contains(err.Error(), "only 1 are applied") {
		t.Errorf("Rollback(2) with one applied = %v", err)
	}
	if _, err := m.Rollback(ctx, 0); err == nil {
		t.Error("Rollback(0) succeeded")
	}
	if reverted, err := m.Rollback(ctx, 1); err != nil || !slices.Equal(versions(reverted), []string{v1}) {
		t.Errorf("Rollback(1) = %v, %v", versions(reverted), err)
	}
	if relExists(t, conn, "users") {
		t.Error("users still exists")
	}
	if _, err := m.Rollback(ctx, 1); err == nil || !strings.Contains(err.Error(), "no migrations are applied") {
		t.Errorf("Rollback with nothing applied = %v", err)
	}
}

func TestApplyFailingStepLeavesNoTrace(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	ms := threeMigrations()[:2]
	ms[1].Up = []Step{
		SQL("CREATE TABLE orders (id bigint)"),
		SQL("INSERT INTO no_such_table VALUES (1)"),
	}
	m := NewMigrator(conn, newSet(ms...), Options{})

	applied, err := m.Apply(ctx, "")
	if got := versions(applied); !slices.Equal(got, []string{v1}) {
		t.Errorf("Apply applied %v, want only %s", got, v1)
	}
	var me *MigrationError
	if !errors.As(err, &me) {
		t.Fatalf("Apply error = %v, want *MigrationError", err)
	}
	if me.Version != v2 || me.Name != "create_orders" || me.Step != 2 || me.SQL != "INSERT INTO no_such_table VALUES (1)" {
		t.Errorf("MigrationError = %+v", me)
	}
	for _, want := range []string{v2, "create_orders", "step 2", "INSERT INTO no_such_table", "no_such_table\" does not exist"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42P01" {
		t.Errorf("error does not unwrap to PgError 42P01: %v", err)
	}
	if relExists(t, conn, "orders") {
		t.Error("table from the failed migration's first step remains")
	}
	if !relExists(t, conn, "users") {
		t.Error("earlier migration was undone")
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1}) {
		t.Errorf("history = %v", got)
	}
	assertUnlocked(t, conn)
}

func TestUnknownAndModifiedMigrations(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	if _, err := NewMigrator(conn, newSet(threeMigrations()...), Options{}).Apply(ctx, ""); err != nil {
		t.Fatal(err)
	}

	// An older checkout lacks v3 and has edited v1.
	ms := threeMigrations()[:2]
	ms[0].Up = []Step{SQL("CREATE TABLE users (id bigint PRIMARY KEY, email text)")}
	var logs []string
	m := NewMigrator(conn, newSet(ms...), Options{Logf: func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }})

	st, err := m.Status(ctx)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	var states []string
	for _, s := range st {
		states = append(states, s.Version+" "+s.State())
	}
	if want := []string{v1 + " modified", v2 + " applied", v3 + " unknown"}; !slices.Equal(states, want) {
		t.Errorf("states = %v, want %v", states, want)
	}
	if st[2].Name != "add_nickname" || !st[2].Applied || !st[2].Unknown {
		t.Errorf("unknown status = %+v", st[2])
	}

	_, err = m.Apply(ctx, "")
	if err == nil || !strings.Contains(err.Error(), "the database has migration "+v3+" (add_nickname), which is newer than this program's newest migration "+v2) {
		t.Errorf("Apply with a newer unknown migration = %v", err)
	}
	if _, err := m.Rollback(ctx, 1); err == nil || !strings.Contains(err.Error(), v3) {
		t.Errorf("Rollback of an unknown migration = %v", err)
	}
	assertUnlocked(t, conn)

	// With v3 known again, Apply only warns about the modified v1.
	ms = append(ms, threeMigrations()[2])
	m = NewMigrator(conn, newSet(ms...), Options{Logf: m.opts.Logf})
	if applied, err := m.Apply(ctx, ""); err != nil || len(applied) != 0 {
		t.Errorf("Apply = %v, %v", versions(applied), err)
	}
	if !slices.Contains(logs, "warning: migration "+v1+" create_users was modified after it was applied") {
		t.Errorf("no modified warning in %q", logs)
	}
}

func TestApplyRefusesPendingOlderThanApplied(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	ms := threeMigrations()
	if _, err := NewMigrator(conn, newSet(ms[0]), Options{}).Apply(ctx, ""); err != nil {
		t.Fatal(err)
	}
	// v3 was applied from a branch; v2 arrives later with a merge.
	branch := ms[2]
	branch.Parent = v1
	if _, err := NewMigrator(conn, newSet(ms[0], branch), Options{}).Apply(ctx, ""); err != nil {
		t.Fatal(err)
	}
	_, err := NewMigrator(conn, newSet(ms...), Options{}).Apply(ctx, "")
	if err == nil || !strings.Contains(err.Error(), "migration "+v2+" create_orders is not applied but the later migration "+v3+" is") ||
		!strings.Contains(err.Error(), "schemadiff rollback --steps 1") || !strings.Contains(err.Error(), "--allow-out-of-order") {
		t.Errorf("Apply = %v", err)
	}
	if relExists(t, conn, "orders") {
		t.Error("refused Apply created orders")
	}

	// Allowed, v2 runs after v3, and rolling back one reverts v2 (the last
	// applied), not v3 (the latest version).
	var logs []string
	m := NewMigrator(conn, newSet(ms...), Options{AllowOutOfOrder: true,
		Logf: func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }})
	applied, err := m.Apply(ctx, "")
	if err != nil || len(applied) != 1 || applied[0].Version != v2 {
		t.Fatalf("Apply out of order = %v, %v", versions(applied), err)
	}
	if !slices.Contains(logs, "applying "+v2+" create_orders out of order: the later migration "+v3+" is applied already") {
		t.Errorf("no out-of-order notice in %q", logs)
	}
	if !relExists(t, conn, "orders") {
		t.Error("orders not created")
	}
	reverted, err := m.Rollback(ctx, 1)
	if err != nil || len(reverted) != 1 || reverted[0].Version != v2 {
		t.Fatalf("Rollback = %v, %v, want %s", versions(reverted), err, v2)
	}
	if relExists(t, conn, "orders") || !columnExists(t, conn, "users", "nickname") {
		t.Error("Rollback did not revert exactly the out-of-order migration")
	}
}

// A migration applied here and then deleted or regenerated (two branches
// merged: the later one is regenerated on top of the other) must not have
// its changes applied a second time by its replacement.
func TestApplyRefusesAppliedMigrationMissingFromSet(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	ms := threeMigrations()
	branch := ms[2]
	branch.Parent = v1
	if _, err := NewMigrator(conn, newSet(ms[0], branch), Options{}).Apply(ctx, ""); err != nil {
		t.Fatal(err)
	}
	// v3 is regenerated as v4 after v2.
	v4 := "20260101000004"
	regenerated := ms[2]
	regenerated.Version, regenerated.Parent = v4, v2
	set := newSet(ms[0], ms[1], regenerated)
	for _, opts := range []Options{{}, {AllowOutOfOrder: true}} {
		_, err := NewMigrator(conn, set, opts).Apply(ctx, "")
		if err == nil || !strings.Contains(err.Error(), "the database has migration "+v3+" (add_nickname) applied, but this program's migrations no longer include it") {
			t.Errorf("Apply (%+v) = %v", opts, err)
		}
	}
	if relExists(t, conn, "orders") {
		t.Error("refused Apply created orders")
	}
}

func TestInvalidSetIsRefused(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := threeMigrations()
	ms[2].Parent = v1
	m := NewMigrator(conn, newSet(ms...), Options{})
	_, err := m.Apply(t.Context(), "")
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "regenerate the later one") {
		t.Fatalf("Apply = %v, want a validation error", err)
	}
	if _, err := m.Rollback(t.Context(), 1); !errors.As(err, &ve) {
		t.Errorf("Rollback = %v, want a validation error", err)
	}
	if _, err := m.Status(t.Context()); !errors.As(err, &ve) {
		t.Errorf("Status = %v, want a validation error", err)
	}
	if relExists(t, conn, "schemadiff_migrations") {
		t.Error("history table created for an invalid set")
	}
	bad := NewMigrator(conn, newSet(threeMigrations()...), Options{Table: "a.b.c"})
	if _, err := bad.Apply(t.Context(), ""); err == nil || !strings.Contains(err.Error(), "invalid history table name") {
		t.Errorf("Apply with a bad table name = %v", err)
	}
}

func TestNoTxMigration(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	ms := threeMigrations()[:2]
	ms[1].Up = append(ms[1].Up,
		SQLNoTx("CREATE INDEX CONCURRENTLY orders_user_id ON orders (user_id)"),
		Func(func(ctx context.Context, db DB) error {
			if _, ok := db.(*pgx.Conn); !ok {
				return fmt.Errorf("func step got %T, want the connection", db)
			}
			_, err := db.Exec(ctx, "INSERT INTO users VALUES (1)")
			return err
		}))
	ms[1].Down = []Step{SQLNoTx("DROP INDEX CONCURRENTLY orders_user_id"), SQL("DROP TABLE orders")}
	m := NewMigrator(conn, newSet(ms...), Options{Table: "public.my_history"})
	if _, err := m.Apply(ctx, ""); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if !relExists(t, conn, "orders_user_id") || !relExists(t, conn, "my_history") {
		t.Fatal("concurrent index or custom history table missing")
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM my_history").Scan(&n); err != nil || n != 2 {
		t.Errorf("history rows = %d, %v", n, err)
	}
	if _, err := m.Rollback(ctx, 1); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if relExists(t, conn, "orders") {
		t.Error("orders survived rollback")
	}

	// A failing step of a migration without a transaction keeps the earlier
	// steps and writes no history row.
	ms[1].Up = []Step{
		SQL("CREATE TABLE orders (id bigint)"),
		SQLNoTx("CREATE INDEX CONCURRENTLY orders_nope ON orders (nope)"),
	}
	m = NewMigrator(conn, newSet(ms...), Options{Table: "public.my_history"})
	_, err := m.Apply(ctx, "")
	var me *MigrationError
	if !errors.As(err, &me) || me.Step != 2 || !me.NoTx || !strings.Contains(err.Error(), "steps 1-1 stay applied") {
		t.Fatalf("Apply = %v, want a no-transaction MigrationError at step 2", err)
	}
	if !relExists(t, conn, "orders") {
		t.Error("step 1 of a no-transaction migration was undone")
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM my_history").Scan(&n); err != nil || n != 1 {
		t.Errorf("history rows = %d, %v", n, err)
	}
	assertUnlocked(t, conn)
}

func TestMultiStatementStep(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	set := newSet(Migration{Version: v1, Name: "two_tables",
		Up:   []Step{SQL("CREATE TABLE a (id int); CREATE TABLE b (id int);")},
		Down: []Step{SQL("DROP TABLE a; DROP TABLE b")}})
	m := NewMigrator(conn, set, Options{})
	if _, err := m.Apply(t.Context(), ""); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if !relExists(t, conn, "a") || !relExists(t, conn, "b") {
		t.Fatal("tables missing")
	}
	if _, err := m.Rollback(t.Context(), 1); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if relExists(t, conn, "a") || relExists(t, conn, "b") {
		t.Fatal("tables survived rollback")
	}
}

func columnExists(t *testing.T, conn *pgx.Conn, table, column string) bool {
	t.Helper()
	var ok bool
	if err := conn.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped)",
		table, column).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}
