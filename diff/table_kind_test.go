package diff

import (
	"slices"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// fkCatalog holds tables public.a and public.b, b referencing a.
func fkCatalog() *schema.Catalog {
	c := schema.NewCatalog()
	a := schema.QName{Schema: "public", Name: "a"}
	b := schema.QName{Schema: "public", Name: "b"}
	c.Tables[a] = &schema.Table{QName: a, Columns: []*schema.Column{{Name: "id", Type: "integer", NotNull: true, StatsTarget: -1}},
		Constraints: []*schema.Constraint{{Name: "a_pkey", Type: schema.PrimaryKey, Definition: "PRIMARY KEY (id)",
			Columns: []string{"id"}, Validated: true}}}
	c.Tables[b] = &schema.Table{QName: b, Columns: []*schema.Column{{Name: "a_id", Type: "integer", StatsTarget: -1}},
		Constraints: []*schema.Constraint{{Name: "b_a_fkey", Type: schema.ForeignKey,
			Definition: "FOREIGN KEY (a_id) REFERENCES public.a(id)", Columns: []string{"a_id"},
			References: &a, RefColumns: []string{"id"}, Validated: true}},
		Grants: []schema.Grant{{Grantee: "PUBLIC", Privilege: "SELECT"}}}
	return c
}

// TestTableKindCreatesAndDrops pins what the table kind plans for new and
// dropped tables: a dropped table's foreign keys go first, by changes of
// their own; a new table gets its foreign keys after it, and its
// privileges through the registry.
func TestTableKindCreatesAndDrops(t *testing.T) {
	sqls := func(from, to *schema.Catalog) []string {
		changes, err := Diff(from, to)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range plannedStatements(changes) {
			out = append(out, s.sql)
		}
		return out
	}
	if got, want := sqls(fkCatalog(), schema.NewCatalog()), []string{
		"DROP TABLE public.a",
		"ALTER TABLE public.b DROP CONSTRAINT b_a_fkey",
		"DROP TABLE public.b",
	}; !slices.Equal(got, want) {
		t.Errorf("dropping planned %q, want %q", got, want)
	}
	if got, want := sqls(schema.NewCatalog(), fkCatalog()), []string{
		"CREATE TABLE public.a (\n    id integer NOT NULL,\n    CONSTRAINT a_pkey PRIMARY KEY (id)\n)",
		"CREATE TABLE public.b (\n    a_id integer\n)",
		"ALTER TABLE public.b ADD CONSTRAINT b_a_fkey FOREIGN KEY (a_id) REFERENCES public.a(id)",
		"GRANT SELECT ON TABLE public.b TO PUBLIC",
	}; !slices.Equal(got, want) {
		t.Errorf("creating planned %q, want %q", got, want)
	}
	if got := sqls(fkCatalog(), fkCatalog()); len(got) != 0 {
		t.Errorf("the same tables planned %q, want nothing", got)
	}
}
