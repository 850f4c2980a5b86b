package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/schemadiff/schemadiff/internal/lint"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/migrate"
)

func newSQLCommand(o *options) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "sql --dir DIR [--from V] [--to V] [--down]",
		Short: "Print the SQL of migrations, for review or to apply by hand",
		Long: `sql prints the SQL of the migrations in DIR after --from up to and including
--to, in the order the runner applies them: each migration between BEGIN and
COMMIT (steps that commit first in transactions of their own; a migration
that runs without a transaction says so in a comment), the hazards noted in
its file as comments, and the statements that record it in the history
table, so that schemadiff status agrees with a database migrated by hand.
With --down it prints the Down steps that go back from --to (default: the
newest migration) to --from, newest first.

Go steps (migrate.Func) are named in comments: their code cannot be shown
and does not run when the script is applied by hand; a warning at the top
counts them. No database is read. --format json gives the same as JSON.`,
		Example: `  schemadiff sql --dir migrations/ > all.sql
  schemadiff sql --dir migrations/ --from 20261120100000            # what a database at that version lacks
  schemadiff sql --dir migrations/ --down --from 20261120100000     # back to that version`,
		Args: cobra.NoArgs,
	}
	runnerArgs := addRunnerFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if dir == "" {
			return withCode(exitError, errors.New("no migrations directory: pass --dir DIR"))
		}
		if _, err := pipeline.ReadMigrationsDir(dir); err != nil {
			return withCode(exitError, err)
		}
		var out bytes.Buffer
		code, err := o.runner().Run(cmd.Context(), dir, withJSONFormat(runnerArgs("")), &out, o.stderr)
		if err != nil {
			return withCode(exitError, err)
		}
		if code != 0 {
			return withCode(code, nil)
		}
		var sc migrate.Script
		if err := json.Unmarshal(out.Bytes(), &sc); err != nil {
			return withCode(exitError, fmt.Errorf("reading the runner's script: %w", err))
		}
		hz, err := readStepHazards(dir)
		if err != nil {
			return withCode(exitError, err)
		}
		for _, w := range hz.attach(&sc) {
			o.warnf("%s", w)
		}
		if cmd.Flags().Lookup("format").Value.String() == "json" {
			err = sc.WriteJSON(o.stdout)
		} else {
			err = sc.WriteSQL(o.stdout)
		}
		if err != nil {
			return withCode(exitError, fmt.Errorf("writing the SQL: %w", err))
		}
		return nil
	}
	cmd.Flags().StringVar(&dir, "dir", "", "migrations directory (a Go package inside your module)")
	return cmd
}

// stepKey names a step of a migration in one direction.
type stepKey struct {
	version string
	down    bool
}

// stepHazards are the hazards noted in migration files: for each
// migration and direction, one list per element of its step slice
// literal.
type stepHazards map[stepKey][][]string

// hazardPrefix starts the comment a generated migration file writes above
// a step that carries a hazard.
const hazardPrefix = "HAZARD "

// readStepHazards reads the "// HAZARD kind: message" comments above the
// steps of the migration files in dir.
func readStepHazards(dir string) (stepHazards, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	hz := stepHazards{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading the hazards of %s: %w", file, err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("reading the hazards of %s: %w", file, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.CompositeLit); ok && isMigrateMigration(lit.Type) {
				hz.addMigration(f, lit)
				return false
			}
			return true
		})
	}
	return hz, nil
}

// isMigrateMigration reports whether a literal's type is migrate.Migration.
func isMigrateMigration(t ast.Expr) bool {
	sel, ok := t.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Migration" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "migrate"
}

// addMigration records the hazards above the steps of one migration
// literal.
func (hz stepHazards) addMigration(f *ast.File, lit *ast.CompositeLit) {
	fields := lint.MigrationFields(lit)
	version := lint.StringLiteral(fields["Version"])
	steps := map[bool]*ast.CompositeLit{}
	for _, name := range []string{"Up", "Down"} {
		if kv := fields[name]; kv != nil {
			if cl, ok := kv.Value.(*ast.CompositeLit); ok {
				steps[name == "Down"] = cl
			}
		}
	}
	if version == "" {
		return
	}
	for down, cl := range steps {
		lists := make([][]string, len(cl.Elts))
		prev := cl.Lbrace
		for i, elt := range cl.Elts {
			lists[i] = hazardComments(f, prev, elt.Pos())
			prev = elt.End()
		}
		hz[stepKey{version, down}] = lists
	}
}

// hazardComments returns the hazard comments between from and to.
func hazardComments(f *ast.File, from, to token.Pos) []string {
	var out []string
	for _, g := range f.Comments {
		if g.Pos() < from || g.End() > to {
			continue
		}
		for _, c := range g.List {
			text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
			if h, ok := strings.CutPrefix(text, hazardPrefix); ok {
				out = append(out, h)
			}
		}
	}
	return out
}

// attach adds the hazards to the script's steps. A migration whose step
// literal does not match its steps (built by hand, in a loop...) gets none,
// and a warning says so when its file notes hazards.
func (hz stepHazards) attach(sc *migrate.Script) []string {
	var warnings []string
	for i := range sc.Migrations {
		m := &sc.Migrations[i]
		lists, ok := hz[stepKey{m.Version, sc.Down}]
		if !ok {
			continue
		}
		if len(lists) != len(m.Steps) {
			if anyHazard(lists) {
				warnings = append(warnings, fmt.Sprintf("migration %s: its file lists %d steps but it has %d: the hazards noted in the file are not shown beside its steps",
					m.Version, len(lists), len(m.Steps)))
			}
			continue
		}
		for j := range m.Steps {
			m.Steps[j].Hazards = lists[j]
		}
	}
	return warnings
}

// anyHazard reports whether any list holds a hazard.
func anyHazard(lists [][]string) bool {
	for _, l := range lists {
		if len(l) > 0 {
			return true
		}
	}
	return false
}
