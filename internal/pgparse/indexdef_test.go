package pgparse

import "testing"

func TestParseIndexDef(t *testing.T) {
	for _, tc := range []struct {
		def  string
		want IndexDef
	}{
		{`CREATE INDEX t_a_idx ON public.t USING btree (a)`,
			IndexDef{Name: "t_a_idx", Schema: "public", Table: "t", Method: "btree", Body: "(a)"}},
		{`CREATE UNIQUE INDEX "Odd Name" ON ONLY "my schema"."x USING btree (y" USING gin (lower(b) text_pattern_ops) INCLUDE (c) WHERE (c > 0)`,
			IndexDef{Unique: true, Name: "Odd Name", Schema: "my schema", Table: "x USING btree (y", Only: true, Method: "gin",
				Body: "(lower(b) text_pattern_ops) INCLUDE (c) WHERE (c > 0)"}},
		{`CREATE UNIQUE INDEX u ON public.t USING btree (a) NULLS NOT DISTINCT WITH (fillfactor='70')`,
			IndexDef{Unique: true, Name: "u", Schema: "public", Table: "t", Method: "btree", Body: "(a) NULLS NOT DISTINCT WITH (fillfactor='70')"}},
	} {
		got, err := ParseIndexDef(tc.def)
		if err != nil {
			t.Fatalf("ParseIndexDef(%q): %v", tc.def, err)
		}
		if got != tc.want {
			t.Errorf("ParseIndexDef(%q)\n got %+v\nwant %+v", tc.def, got, tc.want)
		}
	}
	if _, err := ParseIndexDef("CREATE TABLE t ()"); err == nil {
		t.Error("ParseIndexDef accepted CREATE TABLE")
	}
}
