package convergence

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/schema"
)

var update = flag.Bool("update", false, "rewrite the golden plan files of testdata/cases ("+GoldenFile+")")

// checkGolden compares a case's recorded plans with its golden file, or
// rewrites the file under -update. A case without one fails in CI.
func checkGolden(t *testing.T, dir string, plans *Plans) {
	t.Helper()
	err := CheckGolden(dir, plans.Text(), *update)
	switch {
	case err == nil:
	case errors.Is(err, ErrNoGolden) && !inCI():
		t.Logf("%v (a case without one fails when CI=true)", err)
	default:
		t.Fatal(err)
	}
}

func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// TestGoldenFilesExist checks that every case has its golden plans, so that
// a new case cannot go in without them.
func TestGoldenFilesExist(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases found in testdata/cases: %v", err)
	}
	for _, p := range dirs {
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), GoldenFile)); err != nil {
			t.Errorf("%s: %v: write it with %s", filepath.Base(filepath.Dir(p)), err, UpdateHint)
		}
	}
}

// TestCheckGoldenBites alters a copy of a committed golden file in the ways
// a planner change would (a hazard lost, CONCURRENTLY dropped, a statement
// more) and checks that the comparison fails and shows the line.
func TestCheckGoldenBites(t *testing.T) {
	src := "../../testdata/cases/indexes/" + GoldenFile
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckGolden(filepath.Dir(src), string(orig), false); err != nil {
		t.Fatalf("the unaltered file: %v", err)
	}
	for _, tc := range []struct{ name, from, to string }{
		{"concurrently dropped", "CREATE INDEX CONCURRENTLY", "CREATE INDEX"},
		{"outside-transaction lost", "-- outside-transaction\n", ""},
		{"statement added", "\n== down (offline)", "\n-- drop table public.extra\nDROP TABLE public.extra;\n\n== down (offline)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(orig), tc.from) {
				t.Fatalf("%s has no %q", src, tc.from)
			}
			dir := t.TempDir()
			altered := strings.Replace(string(orig), tc.from, tc.to, 1)
			if err := os.WriteFile(filepath.Join(dir, GoldenFile), []byte(altered), 0o644); err != nil {
				t.Fatal(err)
			}
			err := CheckGolden(dir, string(orig), false)
			if err == nil {
				t.Fatal("an altered golden file passes")
			}
			if !strings.Contains(err.Error(), "-golden +got") || !strings.Contains(err.Error(), "-update") {
				t.Errorf("the failure does not show a diff and how to update:\n%v", err)
			}
		})
	}
	dir := t.TempDir()
	if err := CheckGolden(dir, string(orig), false); !errors.Is(err, ErrNoGolden) {
		t.Errorf("a missing golden file: err = %v, want ErrNoGolden", err)
	}
	if err := CheckGolden(dir, string(orig), true); err != nil {
		t.Fatal(err)
	}
	if err := CheckGolden(dir, string(orig), false); err != nil {
		t.Errorf("after update: %v", err)
	}
}

// TestRenderPlan pins the golden format: summary, change headers, hazard
// kinds, transaction modes.
func TestRenderPlan(t *testing.T) {
	tbl := schema.ID{Kind: schema.KindTable, Schema: "public", Name: "t"}
	col := schema.ID{Kind: schema.KindColumn, Schema: "public", Table: "t", Name: "a"}
	idx := schema.ID{Kind: schema.KindIndex, Schema: "public", Name: "t_a"}
	enum := schema.ID{Kind: schema.KindEnum, Schema: "public", Name: "e"}
	hz := func(k diff.HazardKind) diff.Hazard { return diff.Hazard{Kind: k, Message: "ignored"} }
	for _, tc := range []struct {
		name string
		plan emit.Plan
		want string
	}{
		{"empty", emit.Plan{}, ": empty\n"},
		{"rewrite and concurrent index", emit.Plan{Changes: []diff.Change{
			{Op: diff.OpAlter, Object: col, Statements: []diff.Statement{{
				SQL:     "ALTER TABLE public.t ALTER COLUMN a TYPE bigint",
				Hazards: []diff.Hazard{hz(diff.HazardRewritesTable), hz(diff.HazardLongLock)},
			}}},
			{Op: diff.OpCreate, Object: idx, Statements: []diff.Statement{{
				SQL: "CREATE INDEX CONCURRENTLY t_a ON public.t (a)", Transaction: diff.OutsideTransaction,
			}}},
		}}, `
statements: 2
runs: statement by statement (a statement cannot run in a transaction block)
rewrites: column public.t.a
rebuilds: none

-- alter column public.t.a
-- hazards: rewrites-table, long-lock
ALTER TABLE public.t ALTER COLUMN a TYPE bigint;

-- create index public.t_a
-- outside-transaction
CREATE INDEX CONCURRENTLY t_a ON public.t (a);
`},
		{"commit first and rebuild", emit.Plan{Changes: []diff.Change{
			{Op: diff.OpAlter, Object: enum, Statements: []diff.Statement{{
				SQL: "ALTER TYPE public.e ADD VALUE IF NOT EXISTS 'b'", Transaction: diff.CommitFirst,
			}}},
			{Op: diff.OpDrop, Object: tbl, Statements: []diff.Statement{
				{SQL: "CREATE TABLE public.t__rebuild ()"},
				{SQL: "DROP TABLE public.t", Hazards: []diff.Hazard{hz(diff.HazardDeletesData)}},
			}},
			{Op: diff.OpCreate, Object: tbl},
		}}, `
statements: 3
runs: 1 commit-first statements, each in a transaction of its own, then the rest in one transaction
rewrites: none
rebuilds: table public.t

-- alter enum public.e
-- commit-first
ALTER TYPE public.e ADD VALUE IF NOT EXISTS 'b';

-- drop table public.t
CREATE TABLE public.t__rebuild ();
-- hazards: deletes-data
DROP TABLE public.t;
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, RenderPlan(tc.plan)); d != "" {
				t.Errorf("RenderPlan (-want +got):\n%s", d)
			}
		})
	}
}

// TestPlansText checks the sections of a golden file and that an online
// plan equal to the offline one is written as such.
func TestPlansText(t *testing.T) {
	p := &Plans{steps: map[string]string{
		"up (offline)":   "\nA\n",
		"up (online)":    "\nB\n",
		"down (offline)": ": empty\n",
		"down (online)":  ": empty\n",
	}}
	got := p.Text()
	_, body, _ := strings.Cut(got, "\n\n")
	want := "== up (offline)\nA\n\n== up (online)\nB\n\n== down (offline): empty\n\n== down (online): same as offline\n"
	if body != want {
		t.Errorf("Text body = %q, want %q", body, want)
	}
}
