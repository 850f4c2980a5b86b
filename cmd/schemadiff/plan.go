package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/phase"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/internal/termcolor"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/source"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// states holds both sides of a comparison, and the scratch server used to
// read them (nil when none was needed); close releases it.
type states struct {
	current, desired *schema.Catalog
	scratch          *pgserver.Scratch
	// starting is the scratch server starting in the background while the
	// current state is read (see startScratch), until scratch takes it.
	starting *startingScratch
	// renames are the rename hints written in the schema files.
	renames []schema.Rename
}

// startingScratch is a scratch source being opened in the background.
type startingScratch struct {
	done    chan struct{} // closed once scratch and err are set
	scratch *pgserver.Scratch
	err     error
}

// startScratch begins opening the scratch source, so that the embedded
// server starts while the target database is read.
func (st *states) startScratch(ctx context.Context, o *options) {
	p := &startingScratch{done: make(chan struct{})}
	st.starting = p
	go func() {
		defer close(p.done)
		p.scratch, p.err = o.openScratch(ctx)
	}()
}

// getScratch returns the scratch source, opening it (or waiting for
// startScratch) on first use.
func (st *states) getScratch(ctx context.Context, o *options) (*pgserver.Scratch, error) {
	if st.scratch != nil {
		return st.scratch, nil
	}
	defer phase.Start(ctx, "scratch start")()
	if p := st.starting; p != nil {
		<-p.done
		st.starting = nil
		if p.err != nil {
			return nil, p.err
		}
		st.scratch = p.scratch
		return st.scratch, nil
	}
	s, err := o.openScratch(ctx)
	if err != nil {
		return nil, err
	}
	st.scratch = s
	return s, nil
}

func (st *states) close() {
	if p := st.starting; p != nil {
		<-p.done
		if p.scratch != nil {
			p.scratch.Close() //nolint:errcheck // cleanup
		}
		st.starting = nil
	}
	if st.scratch != nil {
		st.scratch.Close() //nolint:errcheck // cleanup
	}
}

// current says where the current state is read from: the database at
// dbURL, or else (dbURL empty) the migrations in dir replayed into a
// scratch database. A database given with a directory must have applied
// every migration of the directory.
type current struct {
	dbURL string
	dir   string
}

// fromDB reads the current state from the database at url.
func fromDB(url string) current { return current{dbURL: url} }

// loadStates reads the desired state from --schema and the current state
// from cur. Schema files are parsed before any database is touched.
func (o *options) loadStates(ctx context.Context, cur current) (*states, error) {
	if len(o.schemaPaths) == 0 {
		return nil, withCode(exitError, errors.New("no desired schema: pass --schema PATH (a .sql or .go file or a directory; repeat it to merge several)"))
	}
	if slices.Contains(o.schemaPaths, "") {
		return nil, withCode(exitError, errors.New(`--schema "" names no file: give a .sql or .go file or a directory`))
	}
	endParse := phase.Start(ctx, "parse")
	src, err := pipeline.ReadSourceWith(source.Options{Logf: o.logf}, o.schemaPaths...)
	if err != nil {
		return nil, withCode(exitError, err)
	}
	stmts := src.Statements
	err = o.checkEmpty(src.CheckStatements())
	endParse()
	if err != nil {
		return nil, err // it names the Go files without tables too
	}
	o.warnGoWithoutTables(src)
	o.warnDataStatements(stmts)
	st := &states{renames: src.Renames}
	getScratch := func() (*pgserver.Scratch, error) { return st.getScratch(ctx, o) }
	ok := false
	defer func() {
		if !ok {
			st.close()
		}
	}()
	var roles []string
	var target serverVersion // the target database's version, with --db
	loader := ""             // the role the schema files load as on the embedded server
	var inspecting <-chan error
	defer func() {
		if inspecting != nil {
			<-inspecting // never leave it reading after returning
		}
	}()
	switch {
	case cur.dbURL != "":
		if target, err = o.prepareVersionMatch(ctx, cur.dbURL); err != nil {
			return nil, err
		}
		// The embedded server starts while the target is read.
		st.startScratch(ctx, o)
		if err := o.checkNotBehind(ctx, cur.dbURL, cur.dir); err != nil {
			return nil, err
		}
		// The scratch server needs the roles the schema may grant to,
		// and loads it as the database's user.
		endRoles := phase.Start(ctx, "roles")
		roles, loader, err = pipeline.RolesAndUser(ctx, cur.dbURL)
		endRoles()
		if err != nil {
			return nil, withCode(exitError, fmt.Errorf("reading the database: %w", err))
		}
		// The current schema is read while the desired one loads.
		o.logf("reading the current schema from the database")
		inspecting = st.inspectCurrent(ctx, cur.dbURL, o.filter())
	case cur.dir != "":
		dir := cur.dir
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
	default:
		return nil, withCode(exitError, errors.New("no current state: pass --db URL or --dir DIR"))
	}
	s, err := getScratch()
	if err != nil {
		return nil, withCode(exitError, err)
	}
	if cur.dbURL != "" {
		if err := o.checkScratchVersion(ctx, s, target); err != nil {
			return nil, err
		}
	}
	endRoles := phase.Start(ctx, "roles")
	err = s.EnsureRoles(ctx, roles)
	endRoles()
	if err != nil {
		return nil, withCode(exitError, err)
	}
	o.logf("loading %d statements of %s into a scratch database", len(stmts), src.Label())
	st.desired, err = pipeline.LoadDesiredAs(ctx, s, loader, stmts, o.filter())
	if inspecting != nil {
		currentErr := <-inspecting
		inspecting = nil
		if currentErr != nil {
			return nil, withCode(exitError, fmt.Errorf("reading the database: %w", currentErr))
		}
	}
	if err != nil {
		return nil, withCode(exitError, fmt.Errorf("loading the desired schema: %w", err))
	}
	defer phase.Start(ctx, "checks")()
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

// inspectCurrent reads the catalog of the database at url into
// st.current in the background; the channel gets the error, or nil, once
// it is done.
func (st *states) inspectCurrent(ctx context.Context, url string, opts introspect.Options) <-chan error {
	done := make(chan error, 1)
	go func() {
		defer phase.Start(ctx, "introspect current")()
		cat, err := pipeline.InspectURL(ctx, url, opts)
		st.current = cat
		done <- err
	}()
	return done
}

// planUp loads both states and plans from the current to the desired one.
// The caller closes the states.
func (o *options) planUp(ctx context.Context, cur current) (*states, emit.Plan, error) {
	st, err := o.loadStates(ctx, cur)
	if err != nil {
		return nil, emit.Plan{}, err
	}
	p, err := pipeline.PlanWithContext(ctx, st.current, st.desired, st.upOptions(o))
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
		fmt.Fprintf(o.stderr, "warning: the desired schema %s defines no object (allowed by --allow-empty or $%s): the plan drops every object schemadiff manages\n", o.schemaLabel(), allowEmptyEnv)
	}
	return nil
}

// warnGoWithoutTables names the Go files of the schema that declare no
// table although they declare structs (for an ORM, say), so that they are
// not taken silently for "no tables".
func (o *options) warnGoWithoutTables(src *pipeline.Source) {
	for _, w := range src.Warnings {
		fmt.Fprintln(o.stderr, "warning:", w)
	}
	for _, g := range src.GoFilesWithoutTables() {
		if len(g.Structs) > 0 || g.ParseErr != nil {
			fmt.Fprintln(o.stderr, "warning:", g.Describe())
		}
	}
}

// warnDataStatements says that the data statements of the schema files run
// only in the scratch database: plans change structure, never rows.
func (o *options) warnDataStatements(stmts []sqlfile.Statement) {
	if note := pipeline.DataStatementsNote(stmts); note != "" {
		fmt.Fprintln(o.stderr, "warning:", note)
	}
}

func (o *options) warnUnsupported(cats ...*schema.Catalog) {
	for _, w := range pipeline.UnsupportedNotes(cats...) {
		fmt.Fprintln(o.stderr, "warning:", w)
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
	if format == "sql" {
		return o.writeColored(o.stdout, buf.String(), termcolor.PlanLine)
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
			url, err := o.dbURL()
			if err != nil {
				return err
			}
			if _, err := o.color.mode(); err != nil {
				return err
			}
			ctx, report := o.timings(cmd.Context())
			defer report()
			st, p, err := o.planUp(ctx, fromDB(url))
			if err != nil {
				return err
			}
			defer func() {
				defer phase.Start(ctx, "scratch stop")()
				st.close()
			}()
			defer phase.Start(ctx, "emit")()
			return writePlan(o, p, format)
		},
	}
	o.addDB(cmd)
	o.addSchema(cmd)
	o.addFilters(cmd)
	o.addOnline(cmd)
	cmd.Flags().StringVar(&format, "format", "sql", "output format: sql or json")
	o.color.add(cmd)
	return cmd
}

// checkTarget returns what check compares with: the migrations in dir
// when it is given (a database only through --db, which may not be given
// with it), else --db or $DATABASE_URL.
func (o *options) checkTarget(dir string) (current, error) {
	if dir == "" {
		url, err := o.dbURL()
		return fromDB(url), err
	}
	if o.db != "" {
		return current{}, withCode(exitError, errors.New("check compares with a database (--db) or with a migrations directory (--dir), not both: give one of them"))
	}
	o.noteDatabaseURLUnused("check --dir")
	return current{dir: dir}, nil
}

// checkFormat refuses an unknown --format of check before any work.
func checkFormat(format string) error {
	switch format {
	case "sql", "json", formatGitHub:
		return nil
	}
	return withCode(exitError, fmt.Errorf("unknown --format %q: use sql, json or github", format))
}

// schemaLabel names the --schema paths, for messages.
func (o *options) schemaLabel() string { return strings.Join(o.schemaPaths, ", ") }

func newCheckCommand(o *options) *cobra.Command {
	var format, dir string
	var lintErrors bool
	cmd := &cobra.Command{
		Use:   "check --db URL --schema PATH",
		Short: "Exit 1 when the database (or migrations directory) differs from the desired schema",
		Long: `check compares the desired schema with a database (--db, default
$DATABASE_URL) or, with --dir, with the state the migrations in --dir
produce. It prints the changes that would be needed and exits 1 when there
are any, 0 when in sync, 2 on error.

With --dir, $DATABASE_URL is not used: an exported variable does not turn
"are the migrations up to date?" into a comparison with a database. Give
either --db or --dir, not both.

With --dir, check also lints the migrations (see schemadiff lint) and
reports what it finds on stderr as warnings; with --lint-errors, findings
at error severity make check exit 1 even when the migrations are in sync.`,
		Example: `  schemadiff check --db "$DATABASE_URL" --schema schema/
  schemadiff check --dir migrations/ --schema schema/   # are the migrations up to date?`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cur, err := o.checkTarget(dir)
			if err != nil {
				return err
			}
			if err := checkFormat(format); err != nil {
				return err
			}
			if _, err := o.color.mode(); err != nil {
				return err
			}
			lintFailed, err := o.lintForCheck(dir, format, lintErrors)
			if err != nil {
				return err
			}
			st, p, err := o.planUp(cmd.Context(), cur)
			if err != nil {
				return err
			}
			defer st.close()
			if len(p.Changes) == 0 {
				fmt.Fprintln(o.stderr, "in sync: no changes")
				if lintFailed {
					return withCode(exitDrift, nil)
				}
				return nil
			}
			fmt.Fprintf(o.stderr, "drift: %d change(s) needed to reach %s\n", len(p.Changes), o.schemaLabel())
			if format == formatGitHub {
				err = writeDriftAnnotations(o.stdout, st.desired, p)
			} else {
				err = writePlan(o, p, format)
			}
			if err != nil {
				return err
			}
			return withCode(exitDrift, nil)
		},
	}
	cmd.Flags().BoolVar(&lintErrors, "lint-errors", false,
		"with --dir: lint findings at error severity fail the check (exit 1); without it they are reported as warnings")
	o.addDBUsage(cmd, "database URL (default $"+databaseURLEnv+" unless --dir is given)")
	o.addSchema(cmd)
	o.addFilters(cmd)
	o.addOnline(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "compare with this migrations directory instead of a database ($DATABASE_URL is then not used)")
	cmd.Flags().StringVar(&format, "format", "sql",
		"output format of the differences: sql, json, or github (workflow annotations at the schema file and line of each object that differs)")
	o.color.add(cmd)
	return cmd
}

func newInspectCommand(o *options) *cobra.Command {
	goFlags := &inspectGoFlags{}
	cmd := &cobra.Command{
		Use:   "inspect --db URL [--format sql|go]",
		Short: "Print the database's schema as SQL, or as Go structs with schemadiff tags",
		Example: `  schemadiff inspect --db postgres://localhost/app > schema.sql
  schemadiff inspect --db postgres://localhost/app --format go --package models > models_gen.go`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			url, err := o.dbURL()
			if err != nil {
				return err
			}
			if err := goFlags.check(cmd); err != nil {
				return withCode(exitError, err)
			}
			cat, err := pipeline.InspectURL(cmd.Context(), url, o.filter())
			if err != nil {
				return withCode(exitError, fmt.Errorf("reading the database: %w", err))
			}
			if goFlags.format == "go" {
				return writeGoModels(o, cat, goFlags)
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
	goFlags.add(cmd)
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
