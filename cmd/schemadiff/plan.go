package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/schema"
)

// states holds both sides of a comparison, and the scratch server used to
// read them (nil when none was needed); close releases it.
type states struct {
	current, desired *schema.Catalog
	scratch          *pgserver.Scratch
	// renames are the rename hints written in the schema files.
	renames []schema.Rename
}

func (st *states) close() {
	if st.scratch != nil {
		st.scratch.Close() //nolint:errcheck // cleanup
	}
}

// loadStates reads the desired state from --schema and the current state
// from the database (or, when dir is set and no database was given, from
// the migrations in dir replayed into a scratch database). Schema files are
// parsed before any database is touched.
func (o *options) loadStates(ctx context.Context, dir string) (*states, error) {
	if o.schemaPath == "" {
		return nil, withCode(exitError, errors.New("no desired schema: pass --schema PATH (a .sql file or a directory)"))
	}
	src, err := pipeline.ReadSource(o.schemaPath)
	if err != nil {
		return nil, withCode(exitError, err)
	}
	stmts := src.Statements
	if err := o.checkEmpty(src.CheckStatements()); err != nil {
		return nil, err // it names the Go files without tables too
	}
	o.warnGoWithoutTables(src)
	o.warnDataStatements(stmts)
	st := &states{renames: src.Renames}
	getScratch := func() (*pgserver.Scratch, error) {
		if st.scratch == nil {
			s, err := o.openScratch(ctx)
			if err != nil {
				return nil, err
			}
			st.scratch = s
		}
		return st.scratch, nil
	}
	ok := false
	defer func() {
		if !ok {
			st.close()
		}
	}()
	var roles []string
	loader := "" // the role the schema files load as on the embedded server
	if url, dbErr := o.dbURL(); dbErr == nil {
		o.logf("reading the current schema from the database")
		if st.current, err = pipeline.InspectURL(ctx, url, o.filter()); err != nil {
			return nil, withCode(exitError, fmt.Errorf("reading the database: %w", err))
		}
		loader = st.current.CurrentUser
		// The scratch server needs the roles the schema may grant to.
		if roles, err = pipeline.Roles(ctx, url); err != nil {
			return nil, withCode(exitError, fmt.Errorf("reading the database: %w", err))
		}
	} else if dir != "" {
		s, err := getScratch()
		if err != nil {
			return nil, withCode(exitError, err)
		}
		// Without a target to copy roles from, the embedded server gets
		// the ones the schema and the migrations name.
		if roles, err = pipeline.RolesNamed(stmts, dir); err != nil {
			return nil, withCode(exitError, err)
		}
		if err := s.EnsureRoles(ctx, roles); err != nil {
			return nil, withCode(exitError, err)
		}
		if st.current, err = o.replayMigrations(ctx, s, dir); err != nil {
			return nil, withCode(exitError, err)
		}
	} else {
		return nil, dbErr
	}
	s, err := getScratch()
	if err != nil {
		return nil, withCode(exitError, err)
	}
	if err := s.EnsureRoles(ctx, roles); err != nil {
		return nil, withCode(exitError, err)
	}
	o.logf("loading %d statements of %s into a scratch database", len(stmts), o.schemaPath)
	if st.desired, err = pipeline.LoadDesiredAs(ctx, s, loader, stmts, o.filter()); err != nil {
		return nil, withCode(exitError, fmt.Errorf("loading the desired schema: %w", err))
	}
	if err := pipeline.CheckDesiredSupported(st.desired, stmts); err != nil {
		return nil, withCode(exitError, err)
	}
	if err := o.checkEmpty(src.CheckCatalog(st.desired, o.filter())); err != nil {
		return nil, err
	}
	o.warnUnsupported(st.current, st.desired)
	for _, w := range diff.Warnings(st.current, st.desired) {
		fmt.Fprintln(o.stderr, "warning:", w)
	}
	ok = true
	return st, nil
}

// planUp loads both states and plans from the current to the desired one.
// The caller closes the states.
func (o *options) planUp(ctx context.Context, dir string) (*states, emit.Plan, error) {
	st, err := o.loadStates(ctx, dir)
	if err != nil {
		return nil, emit.Plan{}, err
	}
	p, err := pipeline.PlanWith(st.current, st.desired, st.upOptions(o))
	if err != nil {
		st.close()
		return nil, emit.Plan{}, withCode(exitError, err)
	}
	return st, p, nil
}

// checkEmpty turns the *pipeline.EmptyError err into an error (exit 2), or
// under --allow-empty into a warning, given once.
func (o *options) checkEmpty(err error) error {
	var empty *pipeline.EmptyError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &empty):
		return withCode(exitError, err)
	}
	policy, perr := o.emptyPolicy()
	if perr != nil {
		return withCode(exitError, perr)
	}
	if policy == pipeline.RefuseEmpty {
		return withCode(exitError, err)
	}
	if !o.warnedEmpty {
		o.warnedEmpty = true
		fmt.Fprintf(o.stderr, "warning: the desired schema %s defines no object (allowed by --allow-empty or $%s): the plan drops every object schemadiff manages\n", o.schemaPath, allowEmptyEnv)
	}
	return nil
}

// warnGoWithoutTables names the Go files of the schema that declare no
// table although they declare structs (for an ORM, say), so that they are
// not taken silently for "no tables".
func (o *options) warnGoWithoutTables(src *pipeline.Source) {
	for _, g := range src.GoFilesWithoutTables() {
		if len(g.Structs) > 0 || g.ParseErr != nil {
			fmt.Fprintln(o.stderr, "warning:", g.Describe())
		}
	}
}

// warnDataStatements says that the data statements of the schema files run
// only in the scratch database: plans change structure, never rows.
func (o *options) warnDataStatements(stmts []schema.Statement) {
	var at []string
	n := 0
	for _, s := range stmts {
		if s.Kind != schema.StmtData {
			continue
		}
		n++
		if len(at) < 3 {
			at = append(at, fmt.Sprintf("%s:%d:%d (%s)", s.File, s.Line, s.Col, s.Object))
		}
	}
	if n == 0 {
		return
	}
	more := ""
	if n > len(at) {
		more = fmt.Sprintf(" and %d more", n-len(at))
	}
	fmt.Fprintf(o.stderr, "warning: %d data statement(s) in the schema run only while loading it into the scratch database; plans change structure, never rows: %s%s\n",
		n, strings.Join(at, ", "), more)
}

func (o *options) warnUnsupported(cats ...*schema.Catalog) {
	if names := pipeline.Unsupported(cats...); len(names) > 0 {
		fmt.Fprintf(o.stderr, "warning: %d object(s) not managed by schemadiff yet, left untouched: %s\n",
			len(names), strings.Join(names, ", "))
	}
}

func writePlan(o *options, p emit.Plan, format string) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case "sql":
		err = emit.SQL(&buf, p)
	case "json":
		err = emit.JSON(&buf, p)
	default:
		return withCode(exitError, fmt.Errorf("unknown --format %q: use sql or json", format))
	}
	if err != nil {
		return withCode(exitError, err)
	}
	_, err = o.stdout.Write(buf.Bytes())
	return err
}

func newPlanCommand(o *options) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "plan --db URL --schema PATH",
		Short: "Print the changes that bring the database to the desired schema",
		Example: `  schemadiff plan --db postgres://localhost/app --schema schema/
  DATABASE_URL=postgres://localhost/app schemadiff plan --schema schema.sql --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, p, err := o.planUp(cmd.Context(), "")
			if err != nil {
				return err
			}
			defer st.close()
			return writePlan(o, p, format)
		},
	}
	o.addDB(cmd)
	o.addSchema(cmd)
	o.addFilters(cmd)
	o.addOnline(cmd)
	cmd.Flags().StringVar(&format, "format", "sql", "output format: sql or json")
	return cmd
}

func newCheckCommand(o *options) *cobra.Command {
	var format, dir string
	cmd := &cobra.Command{
		Use:   "check --db URL --schema PATH",
		Short: "Exit 1 when the database (or migrations directory) differs from the desired schema",
		Long: `check compares the desired schema with a database (--db) or, with --dir and no
database, with the state the migrations in --dir produce. It prints the
changes that would be needed and exits 1 when there are any, 0 when in sync,
2 on error.`,
		Example: `  schemadiff check --db "$DATABASE_URL" --schema schema/
  schemadiff check --dir migrations/ --schema schema/   # are the migrations up to date?`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, p, err := o.planUp(cmd.Context(), dir)
			if err != nil {
				return err
			}
			defer st.close()
			if len(p.Changes) == 0 {
				fmt.Fprintln(o.stderr, "in sync: no changes")
				return nil
			}
			fmt.Fprintf(o.stderr, "drift: %d change(s) needed to reach %s\n", len(p.Changes), o.schemaPath)
			if err := writePlan(o, p, format); err != nil {
				return err
			}
			return withCode(exitDrift, nil)
		},
	}
	o.addDB(cmd)
	o.addSchema(cmd)
	o.addFilters(cmd)
	o.addOnline(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "compare with this migrations directory instead of a database")
	cmd.Flags().StringVar(&format, "format", "sql", "output format of the differences: sql or json")
	return cmd
}

func newInspectCommand(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "inspect --db URL",
		Short:   "Print the database's schema as SQL",
		Example: `  schemadiff inspect --db postgres://localhost/app > schema.sql`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			url, err := o.dbURL()
			if err != nil {
				return err
			}
			cat, err := pipeline.InspectURL(cmd.Context(), url, o.filter())
			if err != nil {
				return withCode(exitError, fmt.Errorf("reading the database: %w", err))
			}
			o.warnUnsupported(cat)
			p, err := pipeline.Plan(pipeline.Baseline(cat), cat)
			if err != nil {
				return withCode(exitError, err)
			}
			return writePlan(o, stripHazards(p), "sql")
		},
	}
	o.addDB(cmd)
	o.addFilters(cmd)
	return cmd
}

// stripHazards removes hazard notes, which mean nothing in a schema dump.
func stripHazards(p emit.Plan) emit.Plan {
	for i := range p.Changes {
		for j := range p.Changes[i].Statements {
			p.Changes[i].Statements[j].Hazards = nil
		}
	}
	return p
}
