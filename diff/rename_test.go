package diff

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/schema"
)

func TestReplaceIdent(t *testing.T) {
	tests := []struct{ sql, old, new, want string }{
		{"CHECK ((email <> ''::text))", "email", "email_address", "CHECK ((email_address <> ''::text))"},
		{"CHECK ((email <> 'email'::text))", "email", "mail", "CHECK ((mail <> 'email'::text))"},
		{"CREATE INDEX i ON public.t USING btree (email, email2)", "email", "e", "CREATE INDEX i ON public.t USING btree (e, email2)"},
		{`CHECK (("Mixed Col" > 0))`, "Mixed Col", "plain", "CHECK ((plain > 0))"},
		{`CHECK ((a > 0))`, "a", "Big A", `CHECK (("Big A" > 0))`},
		{`CHECK (('it''s a' <> a))`, "a", "b", `CHECK (('it''s a' <> b))`},
		{`FOREIGN KEY (x) REFERENCES public.p(x)`, "x", "y", `FOREIGN KEY (y) REFERENCES public.p(y)`},
	}
	for _, tc := range tests {
		if got := replaceIdent(tc.sql, tc.old, tc.new); got != tc.want {
			t.Errorf("replaceIdent(%q, %q, %q) = %q, want %q", tc.sql, tc.old, tc.new, got, tc.want)
		}
	}
}

func TestRequalify(t *testing.T) {
	tests := []struct{ sql, old, new, want string }{
		{"nextval('legacy.t_id_seq'::regclass)", "legacy", "finance", "nextval('finance.t_id_seq'::regclass)"},
		{"'open'::legacy.status", "legacy", "finance", "'open'::finance.status"},
		{"SELECT a.id FROM legacy.accounts a WHERE a.note = 'legacy.x'", "legacy", "finance",
			"SELECT a.id FROM finance.accounts a WHERE a.note = 'legacy.x'"},
		{"legacy_old.t, x.legacy.t, legacy", "legacy", "finance", "legacy_old.t, x.legacy.t, legacy"},
		{`"Old App".t JOIN "Old App"."T" ON true`, "Old App", "new", `new.t JOIN new."T" ON true`},
		{`legacy.t`, "legacy", "New App", `"New App".t`},
		{`"x""legacy".t`, "legacy", "n", `"x""legacy".t`},
	}
	for _, tc := range tests {
		if got := requalify(tc.sql, tc.old, tc.new); got != tc.want {
			t.Errorf("requalify(%q, %q, %q) = %q, want %q", tc.sql, tc.old, tc.new, got, tc.want)
		}
	}
}

func TestRenameQualified(t *testing.T) {
	oldQ, newQ := schema.QName{Schema: "public", Name: "customers"}, schema.QName{Schema: "public", Name: "Clients"}
	tests := []struct{ sql, want string }{
		{"CREATE TRIGGER t BEFORE INSERT ON public.customers FOR EACH ROW EXECUTE FUNCTION public.customers_f()",
			`CREATE TRIGGER t BEFORE INSERT ON public."Clients" FOR EACH ROW EXECUTE FUNCTION public.customers_f()`},
		{"FOREIGN KEY (c) REFERENCES public.customers(id)", `FOREIGN KEY (c) REFERENCES public."Clients"(id)`},
		{"CREATE STATISTICS s ON a, b FROM public.customers", `CREATE STATISTICS s ON a, b FROM public."Clients"`},
		{"x.public.customers, public.customers2", "x.public.customers, public.customers2"},
	}
	for _, tc := range tests {
		if got := renameQualified(tc.sql, oldQ, newQ); got != tc.want {
			t.Errorf("renameQualified(%q) = %q, want %q", tc.sql, got, tc.want)
		}
	}
}

func TestReverseRenamesSchema(t *testing.T) {
	hints := []schema.Rename{
		{Kind: schema.KindSchema, Name: "finance", From: "legacy"},
		{Kind: schema.KindTable, Schema: "finance", Name: "ledger", From: "entries"},
		{Kind: schema.KindColumn, Schema: "finance", Table: "ledger", Name: "voucher_no", From: "voucher"},
		{Kind: schema.KindTable, Schema: "public", Name: "clients", From: "customers"},
		{Kind: schema.KindTable, Schema: "finance", Name: "orders", From: "purchases", FromSchema: "shop"},
		{Kind: schema.KindColumn, Schema: "finance", Table: "orders", Name: "total", From: "amount"},
	}
	want := []schema.Rename{
		{Kind: schema.KindSchema, Name: "legacy", From: "finance"},
		{Kind: schema.KindTable, Schema: "legacy", Name: "entries", From: "ledger"},
		{Kind: schema.KindColumn, Schema: "legacy", Table: "entries", Name: "voucher", From: "voucher_no"},
		{Kind: schema.KindTable, Schema: "public", Name: "customers", From: "clients"},
		{Kind: schema.KindTable, Schema: "shop", Name: "purchases", From: "orders", FromSchema: "finance"},
		{Kind: schema.KindColumn, Schema: "shop", Table: "purchases", Name: "amount", From: "total"},
	}
	if d := cmp.Diff(want, ReverseRenames(hints)); d != "" {
		t.Errorf("ReverseRenames (-want +got):\n%s", d)
	}
}

// TestRenameHintErrors checks that a hint the diff cannot carry out is an
// error naming the hint's file and line.
func TestRenameHintErrors(t *testing.T) {
	from, to := schema.NewCatalog(), schema.NewCatalog()
	for _, c := range []*schema.Catalog{from, to} {
		c.Schemas["public"] = &schema.Schema{Name: "public"}
	}
	to.Schemas["app"] = &schema.Schema{Name: "app"}
	customers, clients := schema.QName{Schema: "public", Name: "customers"}, schema.QName{Schema: "public", Name: "clients"}
	from.Tables[customers] = &schema.Table{QName: customers}
	to.Tables[customers] = &schema.Table{QName: customers}
	to.Tables[clients] = &schema.Table{QName: clients}
	tests := []struct {
		hint schema.Rename
		want string
	}{
		{schema.Rename{Kind: schema.KindFunction, Schema: "public", Name: "f", From: "g", File: "schema/f.sql", Line: 3},
			"schema/f.sql:3: renaming function public.f() from function public.g(): objects of this kind cannot be renamed by a hint"},
		{schema.Rename{Kind: schema.KindSchema, Name: "app", From: "public", File: "schema/app.sql", Line: 1},
			"schema/app.sql:1: renaming schema app from schema public: the desired state still has schema public: renaming it would leave that one to be created empty (drop the hint if they are different objects)"},
		{schema.Rename{Kind: schema.KindTable, Schema: "public", Name: "clients", From: "customers", File: "t.go", Line: 12},
			"t.go:12: renaming table public.clients from table public.customers: the desired state still has table public.customers: renaming it would leave that one to be created empty (drop the hint if they are different objects)"},
		{schema.Rename{Kind: schema.KindSequence, Schema: "public", Name: "s", From: "t", FromSchema: "old", File: "s.sql", Line: 2},
			"s.sql:2: renaming sequence public.s from sequence old.t: only a table moves to another schema by a hint"},
	}
	for _, tc := range tests {
		_, err := DiffWith(from, to, Options{Renames: []schema.Rename{tc.hint}})
		if err == nil || err.Error() != tc.want {
			t.Errorf("hint %+v: error %v, want %q", tc.hint, err, tc.want)
		}
	}
}

// TestRenameHintHistory checks that hints already carried out, or whose
// old object is gone, change nothing.
func TestRenameHintHistory(t *testing.T) {
	from, to := schema.NewCatalog(), schema.NewCatalog()
	for _, c := range []*schema.Catalog{from, to} {
		c.Schemas["public"] = &schema.Schema{Name: "public"}
		c.Schemas["finance"] = &schema.Schema{Name: "finance"}
	}
	hints := []schema.Rename{
		{Kind: schema.KindSchema, Name: "finance", From: "legacy"},
		{Kind: schema.KindSchema, Name: "gone", From: "never_was"},
	}
	to.Schemas["gone"] = &schema.Schema{Name: "gone"}
	changes, err := DiffWith(from, to, Options{Renames: hints})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Op != OpCreate || changes[0].Object != schemaID("gone") {
		t.Errorf("changes = %+v, want only the creation of schema gone", changes)
	}
}
