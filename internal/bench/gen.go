// Package bench generates synthetic schemas of N tables and measures
// introspection and planning on them against pg_dump and psql.
package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// enumCount is how many enum types the tables of a generated schema share.
const enumCount = 20

// Synthetic is a generated schema of N tables and its desired version.
type Synthetic struct {
	N int
	// Base is the schema as it is: the current state.
	Base string
	// Desired is Base with three changes: a column added to the middle
	// table, an index added to the table a quarter in, and the check
	// constraint of the table three quarters in dropped.
	Desired string
	// Changes describes the differences between Base and Desired.
	Changes []string
}

// tableShape is what varies between the generated tables.
type tableShape struct {
	parent, enum, varLen int
}

// Generate returns a schema of n tables (n >= 1), each with an identity
// key, ten typed columns, a foreign key to an earlier table (mostly a
// nearby one; the first table references itself), one of 20 shared enums,
// a unique and a check constraint and two secondary indexes (one partial),
// and n/10 views each joining a table to its parent. The same n always
// gives the same schema.
func Generate(n int) Synthetic {
	rnd := rand.New(rand.NewPCG(42, uint64(n)))
	shapes := make([]tableShape, n+1)
	for i := 1; i <= n; i++ {
		parent := 1
		if i > 1 {
			parent = max(1, i-1-rnd.IntN(min(i-1, 50)))
		}
		shapes[i] = tableShape{parent: parent, enum: rnd.IntN(enumCount), varLen: []int{32, 64, 128, 255}[rnd.IntN(4)]}
	}
	views := make([]int, n/10)
	for v := range views {
		views[v] = 1 + rnd.IntN(n)
	}
	g := generator{n: n, shapes: shapes, views: views,
		addColumn: max(1, n/2), addIndex: max(1, n/4), dropCheck: max(1, 3*n/4)}
	return Synthetic{
		N:       n,
		Base:    g.schema(false),
		Desired: g.schema(true),
		Changes: []string{
			fmt.Sprintf("add column: %s.extra_note text", tableName(g.addColumn)),
			fmt.Sprintf("add index: %[1]s_name_idx ON %[1]s (name)", tableName(g.addIndex)),
			fmt.Sprintf("drop check: %[1]s_amount_check on %[1]s", tableName(g.dropCheck)),
		},
	}
}

// EditOneTable returns schema with one more column in its first table,
// the change a developer makes between two plans.
func EditOneTable(schema string) string {
	const anchor = "    qty integer NOT NULL DEFAULT 0,\n"
	return strings.Replace(schema, anchor, anchor+"    edited_at timestamptz,\n", 1)
}

type generator struct {
	n                              int
	shapes                         []tableShape
	views                          []int
	addColumn, addIndex, dropCheck int
}

func tableName(i int) string { return fmt.Sprintf("t%05d", i) }

func (g generator) schema(desired bool) string {
	var b strings.Builder
	state := "base"
	if desired {
		state = "desired"
	}
	fmt.Fprintf(&b, "-- synthetic schema N=%d (%s)\n\n", g.n, state)
	for e := range enumCount {
		vals := make([]string, 3+e%5)
		for v := range vals {
			vals[v] = fmt.Sprintf("'e%02d_v%d'", e, v)
		}
		fmt.Fprintf(&b, "CREATE TYPE enum_%02d AS ENUM (%s);\n", e, strings.Join(vals, ", "))
	}
	for i := 1; i <= g.n; i++ {
		b.WriteString("\n")
		g.table(&b, i, desired)
	}
	for v, i := range g.views {
		fmt.Fprintf(&b, "\nCREATE VIEW v%05d AS\nSELECT c.id, c.name, c.amount, c.state, p.code AS parent_code\nFROM %s c JOIN %s p ON c.parent_id = p.id\nWHERE c.is_active;\n",
			v+1, tableName(i), tableName(g.shapes[i].parent))
	}
	return b.String()
}

func (g generator) table(b *strings.Builder, i int, desired bool) {
	t, s := tableName(i), g.shapes[i]
	fmt.Fprintf(b, `CREATE TABLE %s (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    code varchar(%d),
    created_at timestamptz NOT NULL DEFAULT now(),
    amount numeric(12,2),
    is_active boolean NOT NULL DEFAULT false,
    payload jsonb,
    state enum_%02d,
    parent_id bigint,
    qty integer NOT NULL DEFAULT 0,
`, t, s.varLen, s.enum)
	if desired && i == g.addColumn {
		b.WriteString("    extra_note text,\n")
	}
	fmt.Fprintf(b, "    CONSTRAINT %[1]s_code_key UNIQUE (code)", t)
	fmt.Fprintf(b, ",\n    CONSTRAINT %s_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES %s (id)", t, tableName(s.parent))
	if !desired || i != g.dropCheck {
		fmt.Fprintf(b, ",\n    CONSTRAINT %s_amount_check CHECK (amount >= 0)", t)
	}
	fmt.Fprintf(b, "\n);\nCREATE INDEX %[1]s_created_at_idx ON %[1]s (created_at);\n", t)
	fmt.Fprintf(b, "CREATE INDEX %[1]s_parent_active_idx ON %[1]s (parent_id) WHERE is_active;\n", t)
	if desired && i == g.addIndex {
		fmt.Fprintf(b, "CREATE INDEX %[1]s_name_idx ON %[1]s (name);\n", t)
	}
}
