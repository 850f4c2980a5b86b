package schema_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema"
)

func TestZZRich(t *testing.T) {
	stmts, err := schema.ReadSQL("/tmp/rich/schema.sql")
	if err != nil { t.Fatal(err) }
	paths := []string{"/tmp/rich/schema.sql"}
	for seed := range 25 {
		dir := t.TempDir()
		rev := slices.Clone(stmts)
		if seed == 0 {
			slices.Reverse(rev)
		} else {
			r := rand.New(rand.NewPCG(uint64(seed), 7))
			r.Shuffle(len(rev), func(i, j int) { rev[i], rev[j] = rev[j], rev[i] })
		}
		for i, s := range rev {
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.sql", i)), []byte(s.SQL+";\n"), 0o644)
		}
		paths = append(paths, dir)
	}
	for _, p := range paths {
		url := pgtest.NewDB(t)
		ctx := context.Background()
		c, err := pgx.Connect(ctx, url)
		if err != nil { t.Fatal(err) }
		st, err := schema.ReadSQL(p)
		if err != nil { t.Fatal(err) }
		ord := schema.OrderStatements(st)
		err = schema.LoadStatements(ctx, ex{c}, ord)
		if err != nil {
			for _, s := range ord { t.Logf("%v %s", s.Kind, s.Object) }
			t.Errorf("%s: %v", p, err)
		}
		c.Exec(ctx, "DROP OWNED BY rich_reader_x")
		c.Close(ctx)
		pgtest.Exec(t, url, "DROP ROLE IF EXISTS rich_reader_x")
	}
}
