package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

func publicationCatalog(pubs ...*schema.Publication) *schema.Catalog {
	c := schema.NewCatalog()
	for _, p := range pubs {
		c.Publications[p.Name] = p
	}
	return c
}

func plannedSQL(t *testing.T, from, to *schema.Catalog) []string {
	t.Helper()
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

// TestPublicationChanges checks, without a server, what the publication
// kinds plan for the changes the schema files cannot express (FOR ALL
// TABLES and FOR TABLES IN SCHEMA need superuser rights to load) and for
// options and tables.
func TestPublicationChanges(t *testing.T) {
	pub := func(edit func(*schema.Publication)) *schema.Publication {
		p := &schema.Publication{Name: "p", Publish: defaultPublish}
		edit(p)
		return p
	}
	table := func(name string, cols ...string) *schema.PublicationTable {
		q := schema.QName{Schema: "public", Name: name}
		return &schema.PublicationTable{Publication: "p", Table: q, Columns: cols,
			Deps: []schema.ID{tableID(q)}}
	}
	tests := []struct {
		name     string
		from, to *schema.Publication
		want     []string
	}{
		{"schemas", pub(func(p *schema.Publication) { p.Schemas = []string{"a", "b"} }),
			pub(func(p *schema.Publication) { p.Schemas = []string{"b", "c"} }),
			[]string{"ALTER PUBLICATION p DROP TABLES IN SCHEMA a", "ALTER PUBLICATION p ADD TABLES IN SCHEMA c"}},
		{"all tables", pub(func(*schema.Publication) {}),
			pub(func(p *schema.Publication) { p.AllTables, p.Publish.Truncate = true, false }),
			[]string{"DROP PUBLICATION p", "CREATE PUBLICATION p FOR ALL TABLES WITH (publish = 'insert, update, delete')"}},
		{"options", pub(func(*schema.Publication) {}),
			pub(func(p *schema.Publication) { p.Publish = schema.PublishOps{}; p.ViaPartitionRoot = true }),
			[]string{"ALTER PUBLICATION p SET (publish = '', publish_via_partition_root = true)"}},
		{"column list", pub(func(p *schema.Publication) { p.Tables = []*schema.PublicationTable{table("t", "a"), table("u")} }),
			pub(func(p *schema.Publication) { p.Tables = []*schema.PublicationTable{table("t", "a", "b"), table("u")} }),
			[]string{"ALTER PUBLICATION p DROP TABLE public.t", "ALTER PUBLICATION p ADD TABLE public.t (a, b)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := plannedSQL(t, publicationCatalog(tc.from), publicationCatalog(tc.to)); !slices.Equal(got, tc.want) {
				t.Errorf("statements = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPublicationRenamedTableRefused: a rename hint for a table a
// publication lists is refused, naming both, rather than planning ALTER
// PUBLICATION statements for a name the rename has changed.
func TestPublicationRenamedTableRefused(t *testing.T) {
	old, renamed := schema.QName{Schema: "public", Name: "orders"}, schema.QName{Schema: "public", Name: "purchases"}
	from := coreCatalog(coreTable("orders", []string{"id integer"}))
	from.Publications["p"] = &schema.Publication{Name: "p", Publish: defaultPublish,
		Tables: []*schema.PublicationTable{{Publication: "p", Table: old, Deps: []schema.ID{tableID(old)}}}}
	to := coreCatalog(coreTable("purchases", []string{"id integer"}))
	to.Publications["p"] = &schema.Publication{Name: "p", Publish: defaultPublish,
		Tables: []*schema.PublicationTable{{Publication: "p", Table: renamed, Deps: []schema.ID{tableID(renamed)}}}}
	_, err := DiffWith(from, to, Options{Renames: []schema.Rename{{Kind: schema.KindTable, Schema: "public", Name: "purchases", From: "orders"}}})
	if err == nil || !strings.Contains(err.Error(), "publication p lists table public.orders") {
		t.Fatalf("err = %v, want the rename refused", err)
	}
}
