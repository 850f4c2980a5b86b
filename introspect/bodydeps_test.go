package introspect

import (
	"slices"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

func TestBodyDeps(t *testing.T) {
	qn := func(s, n string) schema.QName { return schema.QName{Schema: s, Name: n} }
	cat := schema.NewCatalog()
	for _, q := range []schema.QName{qn("public", "t"), qn("public", "audit"), qn("app", "t"), qn("app", "Mixed Case")} {
		cat.Tables[q] = &schema.Table{QName: q}
	}
	cat.Views[qn("public", "v")] = &schema.View{QName: qn("public", "v")}
	cat.Enums[qn("public", "mood")] = &schema.Enum{QName: qn("public", "mood")}
	cat.Domains[qn("app", "posint")] = &schema.Domain{QName: qn("app", "posint")}
	cat.Sequences[qn("public", "s")] = &schema.Sequence{QName: qn("public", "s")}
	fn := func(s, name, args string) schema.ID {
		id := schema.ID{Kind: schema.KindFunction, Schema: s, Name: name, Args: args}
		cat.Functions[id] = &schema.Function{Schema: s, Name: name, Kind: schema.KindFunction, IdentityArgs: args}
		return id
	}
	g1, g2, self := fn("public", "g", "integer"), fn("public", "g", "text"), fn("app", "f", "")

	table := func(s, n string) schema.ID { return schema.ID{Kind: schema.KindTable, Schema: s, Name: n} }
	cases := []struct {
		name      string
		f         schema.Function
		config    []string
		want      []schema.ID
		untracked bool
	}{{
		name: "sql unqualified resolves own schema first",
		f:    schema.Function{Schema: "app", Name: "f", Language: "sql", Body: `SELECT * FROM t JOIN audit ON true WHERE g(1) > 0 AND f() > 0`},
		want: []schema.ID{g1, g2, table("app", "t"), table("public", "audit")},
	}, {
		name: "sql qualified names, casts, sequences and views",
		f: schema.Function{Schema: "public", Name: "f", Language: "sql",
			Body: `SELECT nextval('s'), 'app."Mixed Case"'::regclass, NULL::mood, NULL::app.posint FROM public.v`},
		want: []schema.ID{{Kind: schema.KindDomain, Schema: "app", Name: "posint"}, {Kind: schema.KindEnum, Schema: "public", Name: "mood"},
			{Kind: schema.KindSequence, Schema: "public", Name: "s"}, table("app", "Mixed Case"), {Kind: schema.KindView, Schema: "public", Name: "v"}},
	}, {
		name:   "search_path from SET",
		f:      schema.Function{Schema: "public", Name: "f", Language: "sql", Body: `SELECT * FROM t`},
		config: []string{"search_path=app, pg_temp"},
		want:   []schema.ID{table("app", "t")},
	}, {
		name: "atomic body is left to pg_depend",
		f:    schema.Function{Schema: "public", Name: "f", Language: "sql"},
	}, {
		name: "plpgsql queries and declarations",
		f: schema.Function{Schema: "public", Name: "f", Language: "plpgsql", Definition: `CREATE OR REPLACE FUNCTION public.f()
 RETURNS trigger LANGUAGE plpgsql AS $function$
DECLARE
  r public.t%ROWTYPE;
  c app.t.a%TYPE;
  m mood;
  x integer := (SELECT count(*) FROM audit);
BEGIN
  PERFORM g(1);
  IF x > 0 THEN INSERT INTO v VALUES (1); END IF;
  RETURN NEW;
END
$function$`},
		want: []schema.ID{g1, g2, {Kind: schema.KindEnum, Schema: "public", Name: "mood"}, table("app", "t"),
			table("public", "audit"), table("public", "t"), {Kind: schema.KindView, Schema: "public", Name: "v"}},
	}, {
		name:      "unparsable sql body",
		f:         schema.Function{Schema: "public", Name: "f", Language: "sql", Body: `SELEC 1`},
		untracked: true,
	}, {
		name:      "other languages are untracked",
		f:         schema.Function{Schema: "public", Name: "f", Language: "plperl", Body: `return 1;`},
		untracked: true,
	}, {
		name: "c functions use nothing",
		f:    schema.Function{Schema: "public", Name: "f", Language: "c", Body: `f_impl`},
	}}
	br := newBodyResolver(cat)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.f.Kind = schema.KindFunction
			refs, err := analyzeBody(&c.f)
			if (err != nil) != c.untracked {
				t.Fatalf("analyzeBody error = %v, want untracked %v", err, c.untracked)
			}
			got := br.resolve(self, searchPath(&c.f, c.config), refs)
			slices.SortFunc(c.want, schema.ID.Compare)
			if !slices.Equal(got, c.want) {
				t.Errorf("deps:\n got %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestNameParts(t *testing.T) {
	for in, want := range map[string][]string{
		`public.t`:          {"public", "t"},
		`"My Schema"."T.x"`: {"My Schema", "T.x"},
		`Foo`:               {"foo"},
		`a."b""c"`:          {"a", `b"c`},
	} {
		if got := schema.SplitName(in); !slices.Equal(got, want) {
			t.Errorf("SplitName(%q) = %q, want %q", in, got, want)
		}
	}
}
