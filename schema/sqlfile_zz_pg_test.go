package schema_test

import (
	"context"
	"testing"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type ex struct{ c *pgx.Conn }

func (e ex) Exec(ctx context.Context, sql string) error {
	_, err := e.c.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	return err
}

func TestZZLoad(t *testing.T) {
	for _, p := range []string{"testdata/sqlfiles/ordered", "testdata/sqlfiles/bodies.sql", "/tmp/scratch/a.sql", "/tmp/scratch/fail.sql"} {
		url := pgtest.NewDB(t)
		ctx := context.Background()
		c, err := pgx.Connect(ctx, url)
		if err != nil { t.Fatal(err) }
		stmts, err := schema.ReadSQL(p)
		if err != nil { t.Fatal(err) }
		err = schema.LoadStatements(ctx, ex{c}, schema.OrderStatements(stmts))
		t.Logf("%s: %v", p, err)
		if err != nil && !strings.Contains(p, "fail") { t.Error(err) }
		c.Close(ctx)
	}
}
