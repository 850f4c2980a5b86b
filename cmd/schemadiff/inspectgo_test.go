package main

import (
	"go/format"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestInspectGo: inspect --format go writes gofmt-clean Go models that
// check reads back in sync with the database; what they cannot express
// is named in a warning and in the file, and bad flags exit 2.
func TestInspectGo(t *testing.T) {
	cli := buildCLI(t)
	dev := pgtest.NewDB(t)
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TYPE status AS ENUM ('new', 'paid');
CREATE TABLE orgs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE orders (
	id bigint PRIMARY KEY,
	org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	status status NOT NULL DEFAULT 'new',
	total numeric(10,2) CHECK (total >= 0),
	note text,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_org_idx ON orders (org_id, created_at DESC) WHERE note IS NOT NULL;
COMMENT ON TABLE orders IS 'Orders placed';`)

	r := cli(nil, "inspect", "--db", db, "--format", "go", "--package", "shop")
	if r.code != 0 {
		t.Fatalf("inspect --format go: exit %d:\n%s", r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("warnings for a schema the tags express: %s", r.stderr)
	}
	if formatted, err := format.Source([]byte(r.stdout)); err != nil || string(formatted) != r.stdout {
		t.Errorf("the Go file is not gofmt-clean (%v):\n%s", err, r.stdout)
	}
	for _, want := range []string{"package shop", "//schemadiff:enum name=status", `StatusPaid Status = "paid"`,
		"//schemadiff:index orders_org_idx (org_id, created_at DESC) where (note IS NOT NULL)",
		"references=orgs(id),on-delete=cascade", "Status    Status", "Note      *string"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the Go file lacks %q:\n%s", want, r.stdout)
		}
	}
	dir := t.TempDir()
	writeFile(t, dir, "models.go", r.stdout)
	if c := cli(withDB(db), "check", "--schema", dir, "--dev-url", dev); c.code != 0 {
		t.Fatalf("check against the written models: exit %d:\n%s%s\n%s", c.code, c.stdout, c.stderr, r.stdout)
	}

	pgtest.Exec(t, db, "CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 100")
	r = cli(nil, "inspect", "--db", db, "--format", "go")
	if r.code != 0 {
		t.Fatalf("inspect --format go with a view: exit %d:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: not written as Go (schemadiff tags cannot express it; keep it in SQL): view public.big_orders") {
		t.Errorf("no warning names the view: %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "//   - view public.big_orders") || !strings.Contains(r.stdout, "package models") {
		t.Errorf("the file does not name the view at its top:\n%s", r.stdout)
	}
	writeFile(t, filepath.Join(dir, "sql"), "views.sql", "CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 100;\n")
	if c := cli(withDB(db), "check", "--schema", dir, "--dev-url", dev); c.code != 0 {
		t.Fatalf("check against the models and the view in SQL: exit %d:\n%s%s", c.code, c.stdout, c.stderr)
	}

	// GORM models of a schema GORM's tags express, read back by the GORM
	// reader (in a module, so that the package type-checks).
	gormDB := pgtest.NewDB(t)
	pgtest.Exec(t, gormDB, `CREATE TYPE status AS ENUM ('new', 'paid');
CREATE TABLE invoices (
	id bigint PRIMARY KEY,
	status status NOT NULL DEFAULT 'new',
	total numeric(10,2) CONSTRAINT chk_invoices_total CHECK (total >= 0),
	number text NOT NULL CONSTRAINT uni_invoices_number UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_invoices_status_at ON invoices (status, created_at DESC);`)
	r = cli(nil, "inspect", "--db", gormDB, "--format", "go", "--tags", "gorm")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("inspect --format go --tags gorm: exit %d:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"func (Invoices) TableName() string { return \"invoices\" }",
		`gorm:"column:id;type:bigint;not null;primaryKey;autoIncrement:false"`,
		`gorm:"column:status;not null;default:new;index:idx_invoices_status_at,priority:1"`,
		`gorm:"column:total;type:numeric(10,2);check:chk_invoices_total,((total >= (0)::numeric))"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the GORM models lack %q:\n%s", want, r.stdout)
		}
	}
	gormDir := t.TempDir()
	writeFile(t, gormDir, "go.mod", "module example.com/models\n\ngo 1.22\n")
	writeFile(t, gormDir, "models.go", r.stdout)
	if c := cli(withDB(gormDB), "check", "--schema", gormDir, "--dev-url", dev); c.code != 0 {
		t.Fatalf("check against the written GORM models: exit %d:\n%s%s\n%s", c.code, c.stdout, c.stderr, r.stdout)
	}

	for _, args := range [][]string{{"--format", "yaml"}, {"--package", "x"}, {"--format", "go", "--tags", "ent"}, {"--format", "go", "--package", "a-b"}} {
		if r := cli(nil, append([]string{"inspect", "--db", db}, args...)...); r.code != 2 {
			t.Errorf("inspect %v: exit %d, want 2:\n%s", args, r.code, r.stderr)
		}
	}
}
