package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// coreTable is a table of public for the core tests: columns "name type"
// (a trailing " not null" makes it NOT NULL) and indexes by definition.
func coreTable(name string, cols []string, indexes ...string) *schema.Table {
	q := schema.QName{Schema: "public", Name: name}
	t := &schema.Table{QName: q}
	for _, c := range cols {
		n, typ, _ := strings.Cut(c, " ")
		typ, notNull := strings.CutSuffix(typ, " not null")
		t.Columns = append(t.Columns, &schema.Column{Name: n, Type: typ, NotNull: notNull, StatsTarget: -1})
	}
	for _, def := range indexes {
		// "CREATE INDEX <name> ON public.<table> USING btree (<col>)"
		f := strings.Fields(def)
		col := strings.Trim(f[len(f)-1], "()")
		t.Indexes = append(t.Indexes, &schema.Index{QName: schema.QName{Schema: "public", Name: f[2]}, Table: q,
			Method: f[len(f)-2], Keys: []string{col}, Columns: []string{col}})
	}
	return t
}

// coreCatalog is a catalog holding tables.
func coreCatalog(tables ...*schema.Table) *schema.Catalog {
	c := schema.NewCatalog()
	// The casts of pg_cast the tests convert with.
	c.Casts = map[schema.TypePair]schema.CastContext{
		{From: "integer", To: "bigint"}: schema.CastImplicit,
		{From: "bigint", To: "integer"}: schema.CastAssignment,
	}
	for _, t := range tables {
		c.Tables[t.QName] = t
	}
	return c
}

// plannedStatement is what the core tests look at in a statement.
type plannedStatement struct {
	op      Op
	object  string
	sql     string
	hazards []HazardKind
	tx      Transaction
}

func plannedStatements(changes []Change) []plannedStatement {
	var out []plannedStatement
	for _, c := range changes {
		for _, s := range c.Statements {
			var kinds []HazardKind
			for _, h := range s.Hazards {
				kinds = append(kinds, h.Kind)
			}
			out = append(out, plannedStatement{op: c.Op, object: c.Object.String(), sql: s.SQL, hazards: kinds, tx: s.Transaction})
		}
	}
	return out
}

// TestCoreChanges checks, without a server, the statements, hazard kinds
// and transaction modes of a few core changes, offline and online.
func TestCoreChanges(t *testing.T) {
	base := func(extraIndexes ...string) *schema.Table {
		return coreTable("t", []string{"id integer not null", "a integer", "b character varying(10)"}, extraIndexes...)
	}
	idx := "CREATE INDEX t_a_idx ON public.t USING btree (a)"
	tests := []struct {
		name     string
		from, to *schema.Catalog
		online   bool
		// want lists the statements expected, in Diff's order.
		want []plannedStatement
	}{
		{
			name: "identical catalogs",
			from: coreCatalog(base()), to: coreCatalog(base()),
		},
		{
			name: "integer to bigint rewrites the table",
			from: coreCatalog(base()),
			to:   coreCatalog(coreTable("t", []string{"id integer not null", "a bigint", "b character varying(10)"})),
			want: []plannedStatement{{op: OpAlter, object: "column public.t.a",
				sql: "ALTER TABLE public.t ALTER COLUMN a TYPE bigint", hazards: []HazardKind{HazardRewritesTable}}},
		},
		{
			name: "a longer varchar does not rewrite",
			from: coreCatalog(base()),
			to:   coreCatalog(coreTable("t", []string{"id integer not null", "a integer", "b character varying(20)"})),
			want: []plannedStatement{{op: OpAlter, object: "column public.t.b",
				sql: "ALTER TABLE public.t ALTER COLUMN b TYPE character varying(20)"}},
		},
		{
			name: "dropping a column deletes data",
			from: coreCatalog(base()),
			to:   coreCatalog(coreTable("t", []string{"id integer not null", "a integer"})),
			want: []plannedStatement{{op: OpDrop, object: "column public.t.b",
				sql: "ALTER TABLE public.t DROP COLUMN b", hazards: []HazardKind{HazardDeletesData}}},
		},
		{
			name: "dropping a table deletes data",
			from: coreCatalog(base(), coreTable("gone", []string{"x text"})),
			to:   coreCatalog(base()),
			want: []plannedStatement{{op: OpDrop, object: "table public.gone",
				sql: "DROP TABLE public.gone", hazards: []HazardKind{HazardDeletesData}}},
		},
		{
			name: "an index on an existing table blocks writes offline",
			from: coreCatalog(base()), to: coreCatalog(base(idx)),
			want: []plannedStatement{{op: OpCreate, object: "index public.t_a_idx",
				sql: idx, hazards: []HazardKind{HazardBlocksWrites}}},
		},
		{
			name: "an index on an existing table is built CONCURRENTLY online",
			from: coreCatalog(base()), to: coreCatalog(base(idx)), online: true,
			want: []plannedStatement{{op: OpCreate, object: "index public.t_a_idx",
				sql: "CREATE INDEX CONCURRENTLY t_a_idx ON public.t USING btree (a)", tx: OutsideTransaction}},
		},
		{
			name: "an index is dropped CONCURRENTLY online",
			from: coreCatalog(base(idx)), to: coreCatalog(base()), online: true,
			want: []plannedStatement{{op: OpDrop, object: "index public.t_a_idx",
				sql: "DROP INDEX CONCURRENTLY public.t_a_idx", tx: OutsideTransaction}},
		},
		{
			name: "SET NOT NULL scans under a long lock offline",
			from: coreCatalog(base()),
			to:   coreCatalog(coreTable("t", []string{"id integer not null", "a integer not null", "b character varying(10)"})),
			want: []plannedStatement{{op: OpAlter, object: "column public.t.a",
				sql: "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL", hazards: []HazardKind{HazardLongLock}}},
		},
		{
			name: "SET NOT NULL relies on a validated check online",
			from: coreCatalog(base()), online: true,
			to: coreCatalog(coreTable("t", []string{"id integer not null", "a integer not null", "b character varying(10)"})),
			want: []plannedStatement{
				{op: OpAlter, object: "column public.t.a", sql: "ALTER TABLE public.t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID"},
				{op: OpAlter, object: "column public.t.a", sql: "ALTER TABLE public.t VALIDATE CONSTRAINT t_a_not_null", hazards: []HazardKind{HazardMayFail}},
				{op: OpAlter, object: "column public.t.a", sql: "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL"},
				{op: OpAlter, object: "column public.t.a", sql: "ALTER TABLE public.t DROP CONSTRAINT t_a_not_null"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changes, err := DiffWith(tc.from, tc.to, Options{Online: tc.online})
			if err != nil {
				t.Fatal(err)
			}
			got := plannedStatements(changes)
			if !slices.EqualFunc(got, tc.want, func(a, b plannedStatement) bool {
				return a.op == b.op && a.object == b.object && a.sql == b.sql && a.tx == b.tx && slices.Equal(a.hazards, b.hazards)
			}) {
				t.Errorf("statements:\n%s\nwant:\n%s", formatPlanned(got), formatPlanned(tc.want))
			}
		})
	}
}

func formatPlanned(stmts []plannedStatement) string {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString("  " + string(s.op) + " " + s.object + " [" + s.tx.String() + "] " + s.sql)
		for _, h := range s.hazards {
			b.WriteString(" <" + string(h) + ">")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestCoreIndexOnNewTableNotConcurrent checks that online mode builds the
// index of a table the plan creates in the plan's transaction: nothing
// reads or writes a table that does not exist yet.
func TestCoreIndexOnNewTableNotConcurrent(t *testing.T) {
	from := coreCatalog()
	to := coreCatalog(coreTable("n", []string{"a integer"}, "CREATE INDEX n_a_idx ON public.n USING btree (a)"))
	changes, err := DiffWith(from, to, Options{Online: true})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, s := range plannedStatements(changes) {
		if s.object != "index public.n_a_idx" {
			continue
		}
		found = true
		if s.tx != InTransaction || strings.Contains(s.sql, "CONCURRENTLY") || len(s.hazards) > 0 {
			t.Errorf("index of a new table: %+v, want a plain CREATE INDEX in the transaction, without hazards", s)
		}
	}
	if !found {
		t.Fatalf("no statement creates the index:\n%s", formatPlanned(plannedStatements(changes)))
	}
}

// TestCoreDeterministic checks that diffing the same catalogs again gives
// the same changes, in the same order (map iteration order varies).
func TestCoreDeterministic(t *testing.T) {
	var fromTables, toTables []*schema.Table
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		fromTables = append(fromTables, coreTable(n, []string{"id integer", "x text", "y integer"}))
		toTables = append(toTables, coreTable(n, []string{"id bigint not null", "y integer"},
			"CREATE INDEX "+n+"_y_idx ON public."+n+" USING btree (y)"))
	}
	for _, online := range []bool{false, true} {
		first, err := DiffWith(coreCatalog(fromTables...), coreCatalog(toTables...), Options{Online: online})
		if err != nil {
			t.Fatal(err)
		}
		want := formatPlanned(plannedStatements(first))
		for i := 0; i < 20; i++ {
			again, err := DiffWith(coreCatalog(fromTables...), coreCatalog(toTables...), Options{Online: online})
			if err != nil {
				t.Fatal(err)
			}
			if got := formatPlanned(plannedStatements(again)); got != want {
				t.Fatalf("online=%v: run %d differs:\n%s\nfirst:\n%s", online, i, got, want)
			}
		}
	}
}

// TestCoreKeyIndexOnline: online, a UNIQUE or PRIMARY KEY constraint added
// to an existing table builds its index CONCURRENTLY and then takes it
// (USING INDEX), keeping deferrability; a primary key over a column that is
// not NOT NULL yet, and a definition with more than its columns, keep the
// blocking form.
func TestCoreKeyIndexOnline(t *testing.T) {
	with := func(notNull bool, cons ...*schema.Constraint) *schema.Table {
		col := "a integer"
		if notNull {
			col += " not null"
		}
		tb := coreTable("t", []string{"id integer not null", col})
		tb.Constraints = cons
		return tb
	}
	unique := &schema.Constraint{Name: "t_a_key", Type: schema.Unique, Definition: `UNIQUE (a) DEFERRABLE INITIALLY DEFERRED`, Columns: []string{"a"}, Validated: true}
	pk := &schema.Constraint{Name: "t_pkey", Type: schema.PrimaryKey, Definition: `PRIMARY KEY (a)`, Columns: []string{"a"}, Validated: true}
	include := &schema.Constraint{Name: "t_a_key", Type: schema.Unique, Definition: `UNIQUE (a) INCLUDE (id)`, Columns: []string{"a"}, Validated: true}
	tests := []struct {
		name     string
		from, to *schema.Table
		want     []plannedStatement
	}{
		{"unique, deferrable", with(false), with(false, unique), []plannedStatement{
			{op: OpCreate, object: "constraint public.t.t_a_key", sql: "CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON public.t USING btree (a)", tx: OutsideTransaction},
			{op: OpCreate, object: "constraint public.t.t_a_key", sql: "ALTER TABLE public.t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_key DEFERRABLE INITIALLY DEFERRED"},
		}},
		{"primary key over a NOT NULL column", with(true), with(true, pk), []plannedStatement{
			{op: OpCreate, object: "constraint public.t.t_pkey", sql: "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON public.t USING btree (a)", tx: OutsideTransaction},
			{op: OpCreate, object: "constraint public.t.t_pkey", sql: "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey"},
		}},
		{"unique with INCLUDE", with(false), with(false, include), []plannedStatement{
			{op: OpCreate, object: "constraint public.t.t_a_key", sql: "ALTER TABLE public.t ADD CONSTRAINT t_a_key UNIQUE (a) INCLUDE (id)", hazards: []HazardKind{HazardBlocksWrites}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changes, err := DiffWith(coreCatalog(tc.from), coreCatalog(tc.to), Options{Online: true})
			if err != nil {
				t.Fatal(err)
			}
			got := plannedStatements(changes)
			if !slices.EqualFunc(got, tc.want, func(a, b plannedStatement) bool {
				return a.op == b.op && a.object == b.object && a.sql == b.sql && a.tx == b.tx && slices.Equal(a.hazards, b.hazards)
			}) {
				t.Errorf("statements:\n%s\nwant:\n%s", formatPlanned(got), formatPlanned(tc.want))
			}
		})
	}
	// A primary key over a column that is nullable in the database: the
	// column gets its own change to NOT NULL (online, through a validated
	// check; the constraint requires the column, so the order puts it
	// first), and the index is built CONCURRENTLY.
	changes, err := DiffWith(coreCatalog(with(false)), coreCatalog(with(true, pk)), Options{Online: true})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, s := range plannedStatements(changes) {
		order = append(order, s.sql)
	}
	setNotNull := slices.Index(order, "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL")
	build := slices.Index(order, "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON public.t USING btree (a)")
	if setNotNull < 0 || build < 0 {
		t.Errorf("want SET NOT NULL and a concurrent build, got:\n%s", strings.Join(order, "\n"))
	}
}
