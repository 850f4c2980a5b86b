package pipeline

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
)

// TestInspectConcurrentlyEqualsInspect loads the desired schema of the
// largest convergence cases (inspectCases) and reads its catalog over one connection and over two
// (introspect.InspectConcurrently): the catalogs must be equal. It also
// reads it with a second connection that cannot share the snapshot (it is
// connected to another database): the first one then reads everything.
func TestInspectConcurrentlyEqualsInspect(t *testing.T) {
	paths := largestCases(t, inspectCases)
	scratch := pgtest.Scratch(t)
	other := pgtest.NewDB(t)
	compared := 0
	for _, p := range paths {
		t.Run(filepath.Base(filepath.Dir(p)), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			stmts := readSQL(t, readFile(t, p))
			roles, err := RolesNamed(stmts, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := scratch.EnsureRoles(ctx, roles); err != nil {
				t.Fatal(err)
			}
			sb, err := openSandbox(ctx, scratch, "")
			if err != nil {
				t.Fatal(err)
			}
			defer sb.close(ctx)
			if err := sb.load(ctx, stmts, loadInOrder); err != nil {
				t.Skipf("the case's desired schema does not load on its own: %v", err)
			}
			want, err := introspect.Inspect(ctx, sb.loader, introspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := inspectConcurrently(ctx, sb.loader, sb.sb.URL, introspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := gocmp.Diff(want, got); d != "" {
				t.Errorf("two connections read another catalog than one (-one +two):\n%s", d)
			}
			elsewhere, err := pgx.Connect(ctx, other)
			if err != nil {
				t.Fatal(err)
			}
			defer elsewhere.Close(ctx)
			got, err = introspect.InspectConcurrently(ctx, sb.loader, elsewhere, introspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := gocmp.Diff(want, got); d != "" {
				t.Errorf("with a second connection to another database (-one +two):\n%s", d)
			}
			compared++
		})
	}
	if compared < len(paths)*8/10 {
		t.Errorf("compared %d cases of %d", compared, len(paths))
	}
}

// inspectCases is how many cases TestInspectConcurrentlyEqualsInspect
// reads: the largest desired schemas hold the most kinds of objects.
const inspectCases = 40

// largestCases returns the to.sql files of the n largest convergence
// cases.
func largestCases(t *testing.T, n int) []string {
	t.Helper()
	paths, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(paths) < n {
		t.Fatalf("fewer than %d cases: %v", n, err)
	}
	size := map[string]int64{}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		size[p] = fi.Size()
	}
	slices.SortFunc(paths, func(a, b string) int { return cmp.Compare(size[b], size[a]) })
	return paths[:n]
}
