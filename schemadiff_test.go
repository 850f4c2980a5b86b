package schemadiff_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// exampleDB is the target database of the examples, which cannot ask
// pgtest for one: TestMain makes it on a server of its own.
var exampleDB string

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := pgserver.OpenScratch(ctx, os.Getenv(pgtest.DevURLEnv), pgserver.Options{})
	if err != nil {
		ci, _ := strconv.ParseBool(os.Getenv("CI"))
		if !errors.Is(err, pgserver.ErrNoBinaries) || ci {
			fmt.Fprintf(os.Stderr, "starting PostgreSQL for the examples: %v\n", err)
			return 1
		}
		// Examples cannot skip: leave them out, as pgtest skips tests.
		fmt.Fprintf(os.Stderr, "examples left out: %v\n", err)
		if err := flag.Set("test.skip", "^Example"); err != nil {
			return 1
		}
		return pgtest.Run(m)
	}
	defer s.Close() //nolint:errcheck // cleanup
	if exampleDB, err = s.NewDatabase(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "creating the examples' database: %v\n", err)
		return 1
	}
	if err := execSQL(ctx, exampleDB, "CREATE TABLE users (id bigint PRIMARY KEY)"); err != nil {
		fmt.Fprintf(os.Stderr, "preparing the examples' database: %v\n", err)
		return 1
	}
	return pgtest.Run(m)
}

// execSQL runs sql on the database at url.
func execSQL(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func ExamplePlan() {
	dir, err := os.MkdirTemp("", "schema")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	desired := "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL DEFAULT '');\n"
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(desired), 0o600); err != nil {
		panic(err)
	}
	res, err := schemadiff.Plan(context.Background(), schemadiff.Options{
		Target: exampleDB, // e.g. "postgres://localhost/app"
		Schema: []string{dir},
	})
	if err != nil {
		panic(err)
	}
	for _, s := range res.Statements() {
		fmt.Println(s.SQL + ";")
	}
	// Output:
	// ALTER TABLE public.users ADD COLUMN email text DEFAULT ''::text NOT NULL;
}

// TestPlanEqualsCLI plans a small schema in-process and with the compiled
// command line: the JSON plans are the same.
func TestPlanEqualsCLI(t *testing.T) {
	target := pgtest.NewDB(t)
	pgtest.Exec(t, target, `CREATE TABLE items (id integer PRIMARY KEY, name text, price numeric);
		CREATE INDEX items_name_idx ON items (name);`)
	dir := t.TempDir()
	desired := `CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric CHECK (price > 0), sku text);
CREATE UNIQUE INDEX items_sku_key ON items (sku);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item integer REFERENCES items);
`
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(desired), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := schemadiff.Plan(ctx, schemadiff.Options{Target: target, Schema: []string{dir}, Online: true})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	var got bytes.Buffer
	if err := res.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "schemadiff")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/schemadiff").CombinedOutput(); err != nil {
		t.Fatalf("building schemadiff: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, bin, "plan", "--db", target, "--schema", dir, "--online", "--format", "json")
	var want, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &want, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("schemadiff plan: %v\n%s", err, stderr.String())
	}
	if got.String() != want.String() {
		t.Errorf("in-process plan differs from the command's:\n got %s\nwant %s", got.String(), want.String())
	}
	if res.Empty() {
		t.Error("the plan is empty")
	}
}

// TestCheck reports drift, and none once the plan is applied.
func TestCheck(t *testing.T) {
	target := pgtest.NewDB(t)
	pgtest.Exec(t, target, `CREATE TABLE t (a integer)`)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE t (a integer, b text);\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := schemadiff.Options{Target: target, Schema: []string{dir}}
	drift, plan, err := schemadiff.Check(ctx, o)
	if err != nil || !drift {
		t.Fatalf("Check = %v, %v; want drift", drift, err)
	}
	for _, s := range plan.Statements() {
		pgtest.Exec(t, target, s.SQL)
	}
	if drift, plan, err = schemadiff.Check(ctx, o); err != nil || drift {
		t.Fatalf("Check after applying the plan = %v (%d changes), %v; want no drift", drift, len(plan.Changes), err)
	}
	sql, _, err := schemadiff.Inspect(ctx, target, o.Filter)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if want := "CREATE TABLE public.t (\n    a integer,\n    b text\n);\n"; !bytes.Contains([]byte(sql), []byte(want)) {
		t.Errorf("Inspect = %q, want it to hold %q", sql, want)
	}
}

// TestPlanErrors names what is missing.
func TestPlanErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := schemadiff.Plan(ctx, schemadiff.Options{Schema: []string{"x.sql"}}); err == nil {
		t.Error("Plan without a target succeeded")
	}
	if _, err := schemadiff.Plan(ctx, schemadiff.Options{Target: "postgres://127.0.0.1:1/x"}); err == nil {
		t.Error("Plan without a schema succeeded")
	}
}
