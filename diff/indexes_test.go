package diff

import (
	"slices"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

func TestStorageParams(t *testing.T) {
	for with, want := range map[string][]string{
		"":                                       nil,
		"fillfactor='70'":                        {"fillfactor='70'"},
		"fillfactor='70', deduplicate_items=off": {"fillfactor='70'", "deduplicate_items=off"},
		"a='x, y', b='it''s, so'":                {"a='x, y'", "b='it''s, so'"},
	} {
		if got := storageParams(with); !slices.Equal(got, want) {
			t.Errorf("storageParams(%q) = %q, want %q", with, got, want)
		}
	}
}

func indexCatalog(with, comment string) *schema.Catalog {
	c := schema.NewCatalog()
	tq := schema.QName{Schema: "public", Name: "t"}
	c.Tables[tq] = &schema.Table{QName: tq, Columns: []*schema.Column{{Name: "a", Type: "integer"}},
		Indexes: []*schema.Index{{QName: sampleQName, Table: tq, Method: "btree", Keys: []string{"a"},
			Columns: []string{"a"}, With: with, Comment: comment}}}
	return c
}

// TestIndexKindRefusesUnalteredField: an index kind that did not alter
// storage parameters or comments would be refused rather than plan
// nothing for them.
func TestIndexKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, indexKind, func(o, old *schema.Index) { o.With = old.With },
		indexCatalog("fillfactor='70'", ""), indexCatalog("fillfactor='90'", ""),
		"index public.s", "With", "fillfactor='90'")
	refusesUnaltered(t, indexKind, func(o, old *schema.Index) { o.Comment = old.Comment },
		indexCatalog("", ""), indexCatalog("", "by a"),
		"index public.s", "Comment", "by a")
}

// TestIndexStorageParametersInPlace: a change of an index's storage
// parameters alone is planned as ALTER INDEX ... RESET and SET; a change
// of its definition as well builds it again.
func TestIndexStorageParametersInPlace(t *testing.T) {
	changes, err := Diff(indexCatalog("fillfactor='70', deduplicate_items=off", ""), indexCatalog("fillfactor='90'", ""))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ALTER INDEX public.s RESET (deduplicate_items)", "ALTER INDEX public.s SET (fillfactor='90')"}
	if got := statementSQL(changes); !slices.Equal(got, want) {
		t.Errorf("planned %q, want %q", got, want)
	}
	to := indexCatalog("fillfactor='90'", "")
	to.Tables[schema.QName{Schema: "public", Name: "t"}].Indexes[0].Where = "(a > 0)"
	changes, err = Diff(indexCatalog("fillfactor='70'", ""), to)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"DROP INDEX public.s", "CREATE INDEX s ON public.t USING btree (a) WITH (fillfactor='90') WHERE (a > 0)"}
	if got := statementSQL(changes); !slices.Equal(got, want) {
		t.Errorf("planned %q, want %q", got, want)
	}
}

// statementSQL returns the SQL of the statements of changes, in order.
func statementSQL(changes []Change) []string {
	var out []string
	for _, c := range changes {
		for _, s := range c.Statements {
			out = append(out, s.SQL)
		}
	}
	return out
}
