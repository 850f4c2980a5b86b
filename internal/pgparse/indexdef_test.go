package pgparse

import (
	"reflect"
	"testing"
)

func TestParseIndexDef(t *testing.T) {
	for _, tc := range []struct {
		def  string
		want IndexDef
	}{
		{`CREATE INDEX t_a_idx ON public.t USING btree (a)`,
			IndexDef{Name: "t_a_idx", Schema: "public", Table: "t", Method: "btree", Keys: []string{"a"}}},
		{`CREATE UNIQUE INDEX "Odd Name" ON ONLY "my schema"."x USING btree (y" USING gin (lower(b) text_pattern_ops, "C, d" DESC NULLS LAST) INCLUDE (c, "E") WHERE (c > 0)`,
			IndexDef{Unique: true, Name: "Odd Name", Schema: "my schema", Table: "x USING btree (y", Only: true, Method: "gin",
				Keys: []string{"lower(b) text_pattern_ops", `"C, d" DESC NULLS LAST`}, Include: []string{"c", "E"}, Where: "(c > 0)"}},
		{`CREATE UNIQUE INDEX u ON public.t USING btree (a, (b || ','::text)) NULLS NOT DISTINCT WITH (fillfactor='70', deduplicate_items=off) WHERE ((a)::text <> 'WITH ('::text)`,
			IndexDef{Unique: true, Name: "u", Schema: "public", Table: "t", Method: "btree", Keys: []string{"a", "(b || ','::text)"},
				NullsNotDistinct: true, With: "fillfactor='70', deduplicate_items=off", Where: "((a)::text <> 'WITH ('::text)"}},
	} {
		got, err := ParseIndexDef(tc.def)
		if err != nil {
			t.Fatalf("ParseIndexDef(%q): %v", tc.def, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseIndexDef(%q)\n got %+v\nwant %+v", tc.def, got, tc.want)
		}
	}
	for _, bad := range []string{"CREATE TABLE t ()", "CREATE INDEX i ON t"} {
		if _, err := ParseIndexDef(bad); err == nil {
			t.Errorf("ParseIndexDef accepted %q", bad)
		}
	}
}
