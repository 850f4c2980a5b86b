package gowriter_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/gowriter"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// loadSQL loads the schema at path into a scratch database and returns its
// catalog.
func loadSQL(t *testing.T, ctx context.Context, path string) *schema.Catalog {
	t.Helper()
	stmts, _, err := pipeline.ReadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	roles, err := pipeline.RolesNamed(stmts, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := pgtest.Scratch(t).EnsureRoles(ctx, roles); err != nil {
		t.Fatal(err)
	}
	cat, err := pipeline.LoadDesired(ctx, pgtest.Scratch(t), stmts, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// roundTrip writes cat as Go, loads the Go file back as the desired state
// and returns the plan from cat to it, empty when the round trip holds.
func roundTrip(t *testing.T, ctx context.Context, cat *schema.Catalog) (string, *gowriter.Result) {
	t.Helper()
	res, err := gowriter.Write(cat, gowriter.Options{Package: "models"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.NotExpressible) > 0 {
		return "", res
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "models.go")
	if err := os.WriteFile(p, res.Source, 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, _, err := pipeline.ReadSchema(p)
	if err != nil {
		t.Fatalf("reading the written Go back: %v\n%s", err, res.Source)
	}
	back, err := pipeline.LoadDesired(ctx, pgtest.Scratch(t), stmts, introspect.Options{})
	if err != nil {
		t.Fatalf("loading the written Go back: %v\n%s", err, res.Source)
	}
	plan, err := pipeline.Plan(cat, back)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range plan.Changes {
		for _, s := range c.Statements {
			b.WriteString(s.SQL + ";\n")
		}
	}
	return b.String(), res
}

// TestRoundTripCases: for every convergence case whose to.sql the tag
// language expresses (the writer names nothing as not expressible), the
// Go file written from its catalog loads back to the same schema: the
// plan between the two is empty.
func TestRoundTripCases(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	var (
		mu      sync.Mutex
		ok, out []string
	)
	t.Run("cases", func(t *testing.T) {
		for _, p := range cases {
			roundTripCase(t, p, &mu, &ok, &out)
		}
	})
	sort.Strings(ok)
	t.Logf("%d cases round-trip through Go models, %d are out of scope; round trip: %s", len(ok), len(out), strings.Join(ok, " "))
}

// roundTripCase runs the round trip of one case's to.sql in a parallel
// subtest, recording its name in ok or out.
func roundTripCase(t *testing.T, p string, mu *sync.Mutex, ok, out *[]string) {
	name := filepath.Base(filepath.Dir(p))
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		plan, res := roundTrip(t, ctx, loadSQL(t, ctx, p))
		mu.Lock()
		defer mu.Unlock()
		if len(res.NotExpressible) > 0 {
			*out = append(*out, name)
			t.Logf("out of scope: %s", strings.Join(res.NotExpressible, "; "))
			return
		}
		if plan != "" {
			t.Fatalf("the plan from the database to the Go models written from it is not empty:\n%s\nGo:\n%s", plan, res.Source)
		}
		*ok = append(*ok, name)
	})
}
