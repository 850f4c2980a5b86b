package main

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// goEnumModels is a Go schema with an enum type whose constants are
// values.
func goEnumModels(values ...string) string {
	var consts strings.Builder
	for i, v := range values {
		consts.WriteString("\tStatus" + string(rune('A'+i)) + " Status = \"" + v + "\"\n")
	}
	return "package models\n\n// Status is where an order is.\n//\n// schemadiff:enum\ntype Status string\n\nconst (\n" + consts.String() + ")\n\n" +
		"// schemadiff:table\ntype Orders struct {\n\tID     int64  `schemadiff:\"id,pk\"`\n\tStatus Status `schemadiff:\"status\"`\n}\n"
}

// TestGoEnumPlans: the compiled binary plans a Go enum's changes like an
// SQL enum's: created with its table, a new constant is ALTER TYPE ... ADD
// VALUE at its place, reordered constants rebuild the type keeping the
// rows, and each plan applied leaves check in sync.
func TestGoEnumPlans(t *testing.T) {
	cli := buildCLI(t)
	dev := pgtest.NewDB(t)
	db := pgtest.NewDB(t)
	dir := t.TempDir()
	step := func(name string, values []string, want ...string) {
		t.Helper()
		writeFile(t, dir, "models.go", goEnumModels(values...))
		r := cli(withDB(db), "plan", "--schema", dir, "--dev-url", dev)
		if r.code != 0 {
			t.Fatalf("%s: plan exit %d:\n%s", name, r.code, r.stderr)
		}
		for _, w := range want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, r.stdout)
			}
		}
		pgtest.Exec(t, db, r.stdout)
		if r := cli(withDB(db), "check", "--schema", dir, "--dev-url", dev); r.code != 0 {
			t.Fatalf("%s: check after applying the plan: exit %d:\n%s%s", name, r.code, r.stdout, r.stderr)
		}
	}
	step("create", []string{"new", "paid"}, "CREATE TYPE public.status AS ENUM ('new', 'paid')", "status public.status NOT NULL")
	pgtest.Exec(t, db, "INSERT INTO orders VALUES (1, 'new'), (2, 'paid')")
	step("add a value", []string{"new", "paid", "shipped"}, "ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'shipped' AFTER 'paid'")
	step("add a value first", []string{"draft", "new", "paid", "shipped"}, "ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'draft' BEFORE 'new'")
	step("reorder", []string{"draft", "paid", "new", "shipped"}, "public.status")
	if got := queryString(t, db, "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM orders"); got != "1:new,2:paid" {
		t.Errorf("rows after the changes: %q", got)
	}
}
