package pipeline

import (
	"context"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// TestHistoryTableNeverInCatalog: the history table named as the runner's
// --table takes it, and its failures table, are left out of the catalog;
// without a name, the default ones are.
func TestHistoryTableNeverInCatalog(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE SCHEMA "Ops";
		CREATE TABLE "Ops"."run history" (version text PRIMARY KEY);
		CREATE TABLE "Ops"."run history_failures" (version text PRIMARY KEY);
		CREATE TABLE public.schemadiff_migrations (version text PRIMARY KEY);
		CREATE TABLE public.schemadiff_migrations_failures (version text PRIMARY KEY);
		CREATE TABLE public.app (id int)`)
	ctx := context.Background()
	q := func(s, n string) schema.QName { return schema.QName{Schema: s, Name: n} }
	cases := []struct {
		table      string
		kept, left []schema.QName
	}{
		{"", []schema.QName{q("public", "app"), q("Ops", "run history"), q("Ops", "run history_failures")},
			[]schema.QName{q("public", "schemadiff_migrations"), q("public", "schemadiff_migrations_failures")}},
		{"Ops.run history", []schema.QName{q("public", "app"), q("public", "schemadiff_migrations")},
			[]schema.QName{q("Ops", "run history"), q("Ops", "run history_failures")}},
	}
	for _, c := range cases {
		cat, err := InspectURL(ctx, db, introspect.Options{HistoryTable: c.table})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range c.kept {
			if _, ok := cat.Tables[k]; !ok {
				t.Errorf("--table %q: table %s is missing from the catalog", c.table, k)
			}
		}
		for _, l := range c.left {
			if _, ok := cat.Tables[l]; ok {
				t.Errorf("--table %q: history table %s is in the catalog", c.table, l)
			}
		}
	}
	if _, err := InspectURL(ctx, db, introspect.Options{HistoryTable: "a.b.c"}); err == nil {
		t.Error("an invalid history table name was accepted")
	}
}
