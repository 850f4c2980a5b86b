package diff

import (
	"slices"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

func TestMentions(t *testing.T) {
	for _, c := range []struct {
		text, name string
		want       bool
	}{
		{"SETOF public.t", "public.t", true},
		{"SETOF public.tt", "public.t", false},
		{"a public.mood[] DEFAULT NULL", "public.mood", true},
		{"x integer DEFAULT public.f()", "public.f", true},
		{`x "My App"."T"`, `"My App"."T"`, true},
		{"x app.public.t", "public.t", false},
	} {
		if got := mentions(c.text, c.name); got != c.want {
			t.Errorf("mentions(%q, %q) = %v, want %v", c.text, c.name, got, c.want)
		}
	}
}

func TestDeclares(t *testing.T) {
	tbl := schema.ID{Kind: schema.KindTable, Schema: "public", Name: "docs"}
	for _, c := range []struct {
		typ  string
		want bool
	}{
		{"docs%ROWTYPE", true},
		{"public.docs%rowtype", true},
		{"other.docs%ROWTYPE", false},
		{"docs.id%TYPE", true},
		{"x%TYPE", false},
		{`"docs"`, true},
		{"docs[]", true},
		{"integer", false},
	} {
		if got := declares(c.typ, tbl); got != c.want {
			t.Errorf("declares(%q) = %v, want %v", c.typ, got, c.want)
		}
	}
}

func TestPlpgsqlDeclaredTypes(t *testing.T) {
	got := plpgsqlDeclaredTypes(`CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	d public.docs%ROWTYPE;
	n numeric := 0;
BEGIN
END $$`)
	if want := []string{"public.docs%ROWTYPE", "numeric"}; !slices.Equal(got, want) {
		t.Errorf("plpgsqlDeclaredTypes = %q, want %q (trimmed, in order)", got, want)
	}
	if got := plpgsqlDeclaredTypes("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN x; END $$"); got != nil {
		t.Errorf("a body that does not parse: %q, want none", got)
	}
}
