package ormtest

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/schemadiff/schemadiff/internal/ormtest/bunmodels"
	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// bunModels are the models of package bunmodels, in creation order.
var bunModels = []any{(*bunmodels.Author)(nil), (*bunmodels.Book)(nil), (*bunmodels.Profile)(nil)}

// bunCreate creates the models' tables with bun, foreign keys included.
func bunCreate(t *testing.T, url string) {
	t.Helper()
	config, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	sqldb := sql.OpenDB(stdlib.GetConnector(*config))
	db := bun.NewDB(sqldb, pgdialect.New())
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, m := range bunModels {
		if _, err := db.NewCreateTable().Model(m).WithForeignKeys().Exec(ctx); err != nil {
			t.Fatalf("bun CreateTable %T: %v", m, err)
		}
	}
}

// TestBunPlanEmptyOnCreateTable: on the database bun's CreateTable
// created from the models, planning to the same models changes nothing.
func TestBunPlanEmptyOnCreateTable(t *testing.T) {
	url := pgtest.NewDB(t)
	bunCreate(t, url)
	out, stderr := run(t, "plan", "--schema", "bunmodels", "--db", url)
	if strings.TrimSpace(out) != "" || strings.Contains(stderr, "warning") {
		t.Errorf("plan on the database bun created is not empty:\n%s\nstderr:\n%s", out, stderr)
	}
}

// TestBunPlanReproducesCreateTable: planning an empty database to the
// models and applying the plan gives the database bun creates.
func TestBunPlanReproducesCreateTable(t *testing.T) {
	bunURL := pgtest.NewDB(t)
	bunCreate(t, bunURL)
	planned := pgtest.NewDB(t)
	out, _ := run(t, "plan", "--schema", "bunmodels", "--db", planned)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, planned)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, out, pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatalf("applying the plan: %v\n%s", err, out)
	}
	want, got := dump(t, bunURL), dump(t, planned)
	for _, name := range []string{"CREATE TABLE public.authors", "CREATE TABLE public.books", "author_contact", "books_author_id_fkey"} {
		if !strings.Contains(want, name) {
			t.Fatalf("bun's database lacks %s:\n%s", name, want)
		}
	}
	if want != got {
		t.Errorf("pg_dump differs.\nbun's CreateTable:\n%s\nschemadiff's plan:\n%s", want, got)
	}
}
