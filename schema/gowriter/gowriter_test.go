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
func roundTrip(t *testing.T, ctx context.Context, cat *schema.Catalog, tags gowriter.Tags) (string, *gowriter.Result) {
	t.Helper()
	res, err := gowriter.Write(cat, gowriter.Options{Package: "models", Tags: tags})
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
	// A module, so that the GORM reader type-checks the package.
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/models\n\ngo 1.22\n"), 0o644); err != nil {
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

// tally counts, per tag language, the cases that round-trip and those out
// of scope.
type tally struct {
	mu      sync.Mutex
	ok, out map[gowriter.Tags][]string
}

// TestRoundTripCases: for every convergence case whose to.sql the tag
// language expresses (the writer names nothing as not expressible), the
// Go file written from its catalog loads back to the same schema: the
// plan between the two is empty. Both tag languages are tried on each
// case, GORM models read back by the GORM reader.
func TestRoundTripCases(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	tl := &tally{ok: map[gowriter.Tags][]string{}, out: map[gowriter.Tags][]string{}}
	t.Run("cases", func(t *testing.T) {
		for _, p := range cases {
			roundTripCase(t, p, tl)
		}
	})
	for _, tags := range []gowriter.Tags{gowriter.TagsSchemadiff, gowriter.TagsGorm} {
		ok := tl.ok[tags]
		sort.Strings(ok)
		t.Logf("%s tags: %d cases round-trip through Go models, %d are out of scope; round trip: %s",
			tags, len(ok), len(tl.out[tags]), strings.Join(ok, " "))
	}
}

// roundTripCase runs the round trips of one case's to.sql in a parallel
// subtest, recording its name in tl.
func roundTripCase(t *testing.T, p string, tl *tally) {
	name := filepath.Base(filepath.Dir(p))
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cat := loadSQL(t, ctx, p)
		for _, tags := range []gowriter.Tags{gowriter.TagsSchemadiff, gowriter.TagsGorm} {
			plan, res := roundTrip(t, ctx, cat, tags)
			tl.mu.Lock()
			if len(res.NotExpressible) > 0 {
				tl.out[tags] = append(tl.out[tags], name)
				t.Logf("%s tags, out of scope: %s", tags, strings.Join(res.NotExpressible, "; "))
			} else if plan == "" {
				tl.ok[tags] = append(tl.ok[tags], name)
			}
			tl.mu.Unlock()
			if len(res.NotExpressible) == 0 && plan != "" {
				t.Errorf("%s tags: the plan from the database to the Go models written from it is not empty:\n%s\nGo:\n%s", tags, plan, res.Source)
			}
		}
	})
}
