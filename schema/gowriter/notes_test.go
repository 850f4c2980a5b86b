package gowriter_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/gowriter"
)

// TestNotExpressible: what the tags cannot express is named, in the
// result and at the top of the file, and the rest is still written.
func TestNotExpressible(t *testing.T) {
	cat := schema.NewCatalog()
	q := schema.QName{Schema: "public", Name: "events"}
	cat.Tables[q] = &schema.Table{QName: q,
		Columns: []*schema.Column{
			{Name: "id", Type: "bigint", NotNull: true, StatsTarget: -1},
			{Name: "total", Type: "integer", Generated: "(id * 2)", StatsTarget: -1},
		},
		Triggers: []*schema.Trigger{{Name: "tr", Table: q}},
	}
	v := schema.QName{Schema: "public", Name: "recent"}
	cat.Views[v] = &schema.View{QName: v}
	for _, tags := range []gowriter.Tags{gowriter.TagsSchemadiff, gowriter.TagsGorm} {
		res, err := gowriter.Write(cat, gowriter.Options{Package: "models", Tags: tags})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"view public.recent", "triggers of table public.events",
			"the generation expression of column total of table public.events"} {
			if !slices.Contains(res.NotExpressible, want) {
				t.Errorf("%s: NotExpressible %q lacks %q", tags, res.NotExpressible, want)
			}
			if !strings.Contains(string(res.Source), "//   - "+want+"\n") {
				t.Errorf("%s: the file does not name %q at its top:\n%s", tags, want, res.Source)
			}
		}
		if !strings.Contains(string(res.Source), "type Events struct") {
			t.Errorf("%s: the table is not written:\n%s", tags, res.Source)
		}
	}
	if _, err := gowriter.Write(cat, gowriter.Options{Package: "models", Tags: "ent"}); err == nil {
		t.Error("unknown tags accepted")
	}
}
