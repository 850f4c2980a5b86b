// Command schemadiff plans, generates and applies PostgreSQL schema
// migrations from a declarative schema written as SQL.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/internal/appname"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/internal/project"
	"github.com/schemadiff/schemadiff/internal/version"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/migrate"
)

// Exit codes, part of the CLI contract.
const (
	exitOK    = 0
	exitDrift = 1 // check: differences found; apply/rollback: a migration failed
	exitError = 2
)

// exitError carries an exit code through cobra.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

func withCode(code int, err error) error { return &codeError{code: code, err: err} }

// gcPercent is the garbage collector's target when $GOGC is not set. A
// plan holds two catalogs (a few hundred megabytes at 10,000 tables):
// collecting when the heap reaches 1.5 times what is live instead of
// twice keeps the peak memory about a sixth lower (measured at 10,000
// tables: 403 MB against 459 MB) for a percent or two more CPU.
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	defer startCPUProfile(stderr)()
	root := newRootCommand(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ce *codeError
	if errors.As(err, &ce) {
		if ce.err != nil && ce.code != exitDrift {
			appname.PrintError(stderr, ce.err)
		}
		return ce.code
	}
	appname.PrintError(stderr, err)
	return exitError
}

// options are the flags shared by several commands.
type options struct {
	stdout, stderr io.Writer
	// command is the name of the command being run (plan, generate, ...).
	command        string
	db             string
	schemaPaths    []string
	devURL         string
	schemas        []string
	excludeSchemas []string
	excludeTables  []string
	verbose        bool
	online         bool
	noPrivileges   bool
	historyTable   string // --table of plan, check, generate and inspect
	// allowVersionMismatch goes on when the scratch server's major
	// version differs from the target database's.
	allowVersionMismatch bool
	// scratchBinDir is the directory of the server binaries the embedded
	// scratch server runs, when chosen to match the target's version.
	scratchBinDir string
	allowEmpty    bool
	// warnedEmpty is set once the --allow-empty warning was given.
	warnedEmpty bool
	// project is the project file and the targets named on the command
	// line.
	project projectOptions
	// fleetOpts are the flags of a run on many databases.
	fleetOpts fleetOptions
	// color is --color of plan, check and lint.
	color colorFlag
	// verifyCopy asks replayMigrations to start copying the cached replay
	// state it read into replayCopy, for generate's verification.
	verifyCopy bool
	replayCopy *pipeline.ReplayCopy
}

// allowEmptyEnv names the environment variable that stands for
// --allow-empty where the command line cannot be changed (a test harness, a
// CI template): "true" or "1" allows an empty desired schema.
const allowEmptyEnv = "SCHEMADIFF_ALLOW_EMPTY"

// emptyPolicy is what --allow-empty, or else $SCHEMADIFF_ALLOW_EMPTY, asks
// for. A value of the variable that is not a boolean is an error.
func (o *options) emptyPolicy() (pipeline.EmptyPolicy, error) {
	if o.allowEmpty {
		return pipeline.AllowEmpty, nil
	}
	if v := os.Getenv(allowEmptyEnv); v != "" {
		allow, err := strconv.ParseBool(v)
		if err != nil {
			return pipeline.RefuseEmpty, fmt.Errorf("%s=%q: want true or false", allowEmptyEnv, v)
		}
		if allow {
			return pipeline.AllowEmpty, nil
		}
	}
	return pipeline.RefuseEmpty, nil
}

// upOptions are the diff options from the current to the desired state;
// downOptions those of the way back.
func (st *states) upOptions(o *options) diff.Options {
	return diff.Options{Online: o.online, Renames: st.renames}
}

func (st *states) downOptions(o *options) diff.Options {
	return diff.Options{Online: o.online, Renames: diff.ReverseRenames(st.renames)}
}

func (o *options) addOnline(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&o.online, "online", false,
		"avoid long locks on existing tables: CREATE/DROP INDEX CONCURRENTLY (outside a transaction), foreign keys and checks added NOT VALID then validated, SET NOT NULL through a validated check")
}

func (o *options) filter() introspect.Options {
	return introspect.Options{Schemas: o.schemas, ExcludeSchemas: o.excludeSchemas, ExcludeTables: o.excludeTables,
		NoPrivileges: o.noPrivileges, HistoryTable: o.historyTable}
}

// databaseURLEnv names the environment variable that stands for --db in
// the commands whose purpose is a database.
const databaseURLEnv = "DATABASE_URL"

// dbURL returns --db or $DATABASE_URL, for the commands whose purpose is a
// database: apply, rollback, status, resolve, plan, inspect, and check
// without --dir.
func (o *options) dbURL() (string, error) {
	if o.db != "" {
		return o.db, nil
	}
	if u := os.Getenv(databaseURLEnv); u != "" {
		return u, nil
	}
	return "", withCode(exitError, errors.New("no database: pass --db URL or set "+databaseURLEnv))
}

// noteDatabaseURLUnused says, when $DATABASE_URL is set and --db is not,
// that cmd (generate, check --dir) does not use the variable: their current
// state is a migrations directory unless a database is named on the
// command line, so that an exported variable does not change what --dir
// means.
func (o *options) noteDatabaseURLUnused(cmd string) {
	if o.db == "" && os.Getenv(databaseURLEnv) != "" {
		fmt.Fprintf(o.stderr, "note: %s does not use $%s: the current state is the migrations in --dir; pass --db to compare with a database\n",
			cmd, databaseURLEnv)
	}
}

// warmKey names the desired schema source for the kept cluster: the
// absolute --schema paths, or "" (no kept cluster) without them.
func (o *options) warmKey() string {
	if len(o.schemaPaths) == 0 || o.devURL != "" {
		return ""
	}
	abs := make([]string, len(o.schemaPaths))
	for i, p := range o.schemaPaths {
		a, err := filepath.Abs(p)
		if err != nil {
			return ""
		}
		abs[i] = a
	}
	return strings.Join(abs, "\n")
}

func (o *options) logf(format string, args ...any) {
	if o.verbose {
		fmt.Fprintf(o.stderr, format+"\n", args...)
	}
}

func (o *options) warnf(format string, args ...any) {
	fmt.Fprintf(o.stderr, "warning: "+format+"\n", args...)
}

// openScratch starts the embedded server or connects to --dev-url. With
// --schema, the embedded server runs on the cluster kept for those paths,
// whose desired state the next run brings up to date (pgserver.WarmEnv
// turns it off).
func (o *options) openScratch(ctx context.Context) (*pgserver.Scratch, error) {
	s, err := pgserver.OpenScratch(ctx, o.devURL, pgserver.Options{BinDir: o.scratchBinDir, Logf: o.logf, Warnf: o.warnf, DropWithServer: true, WarmKey: o.warmKey()})
	if err != nil {
		return nil, fmt.Errorf("starting scratch database: %w", err)
	}
	return s, nil
}

// addDB adds --db to a command whose purpose is a database, where
// $DATABASE_URL stands for it.
func (o *options) addDB(cmd *cobra.Command) {
	o.addDBUsage(cmd, "database URL (default $"+databaseURLEnv+")")
}

// addDBUsage adds --db with its own help text, for the commands where
// $DATABASE_URL does not always stand for it.
func (o *options) addDBUsage(cmd *cobra.Command, usage string) {
	cmd.Flags().StringVar(&o.db, "db", "", usage)
}

func (o *options) addSchema(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&o.schemaPaths, "schema", nil,
		"desired schema: a .sql or .go file, or a directory of them; repeat --schema `PATH` to merge several into one desired state (a name defined in two of them is an error)")
	cmd.Flags().StringVar(&o.devURL, "dev-url", "", "use this PostgreSQL server for scratch databases instead of the embedded one")
	cmd.Flags().BoolVar(&o.allowVersionMismatch, "allow-version-mismatch", false,
		"with --db: go on when the scratch server's PostgreSQL major version differs from the database's (generate refuses without it; plan and check warn)")
	cmd.Flags().BoolVar(&o.allowEmpty, "allow-empty", false,
		"accept a desired schema that defines no object (planning to it drops every object); without it that is an error (default $"+allowEmptyEnv+")")
}

func (o *options) addFilters(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&o.schemas, "schema-filter", nil, "only manage schemas matching these patterns (e.g. app_*)")
	cmd.Flags().StringSliceVar(&o.excludeSchemas, "exclude-schema", nil, "leave schemas matching these patterns alone")
	cmd.Flags().StringSliceVar(&o.excludeTables, "exclude", nil, "leave tables and views matching these patterns (name or schema.name) alone")
	cmd.Flags().BoolVar(&o.noPrivileges, "no-privileges", false, "do not manage privileges (GRANT / REVOKE)")
	cmd.Flags().StringVar(&o.historyTable, "table", "",
		"the migrations' history table as apply --table takes it, `TABLE` or SCHEMA.TABLE (default "+migrate.DefaultTable+"): it and its _failures table are never part of the schema")
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	return newRoot(&options{stdout: stdout, stderr: stderr})
}

// newRoot builds the command line around o, which the flags fill.
func newRoot(o *options) *cobra.Command {
	root := &cobra.Command{
		Use:   "schemadiff",
		Short: "Declarative schema migrations for PostgreSQL",
		Long: `schemadiff compares the schema you want (SQL files) with a database or a
directory of migrations, and plans, generates, applies and checks the changes.

$DATABASE_URL stands for --db in the commands whose purpose is a database
(apply, rollback, status, resolve, plan, inspect, and check without --dir).
generate and check --dir compare with the migrations in --dir and use a
database only when --db is given.

A flag that takes one value (--db, --dir, --format, ...) is an error when
given twice; --schema may be repeated to merge several sources.

Scratch databases live on an embedded PostgreSQL run from the binaries
installed here (unless --dev-url). Its cluster is initialised once and kept
in <user cache dir>/schemadiff/clusters ($SCHEMADIFF_CLUSTER_CACHE: another
directory, or "off"); each run starts on a fresh copy of it, in a
memory-backed directory (/dev/shm) when there is one with room and $TMPDIR
is not set, else in the temporary directory ($SCHEMADIFF_SCRATCH_DIR:
another directory, or "tmp"). plan, check and generate keep, per set of
--schema paths, a copy holding the desired schema as last loaded, and load
again only the statements that changed and
what depends on them; anything they cannot load that way (DO, SET, data
statements, extensions, ...) is loaded into a new scratch database as
before. $SCHEMADIFF_WARM=off turns this off. What was read from the SQL
schema files is kept too, in <user cache dir>/schemadiff/parse (one file
per --schema path; $SCHEMADIFF_PARSE_CACHE: another directory, or "off"),
so that a run parses only the statements that changed since the last.

Exit codes: 0 success; 1 drift found (check), findings at error severity
(lint, check --lint-errors), a migration failed (apply, rollback) or needs
attention (status); 2 any other error, including an
interrupted or killed migrations runner; 3 status --fail-on-pending found
pending migrations.

` + projectFlagHelp,
		Version:       version.Current().String(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetOut(o.stdout)
	root.SetErr(o.stderr)
	root.PersistentFlags().BoolVarP(&o.verbose, "verbose", "v", false, "print progress to stderr")
	root.PersistentFlags().StringVar(&o.project.configPath, "config", "",
		"the project file to read (default: "+project.FileName+" in the working directory or the nearest parent that has one)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		o.command = cmd.Name()
		return o.loadProject(cmd)
	}
	root.AddCommand(newPlanCommand(o), newCheckCommand(o), newInspectCommand(o),
		newGenerateCommand(o), newApplyCommand(o), newRollbackCommand(o), newStatusCommand(o), newResolveCommand(o),
		newHistoryCommand(o), newRedoCommand(o),
		newSQLCommand(o), newBuildCommand(o), newLintCommand(o), newDevServerCommand(o),
		newVersionCommand(o))
	o.addTargetFlags(root)
	refuseRepeatedFlags(root)
	return root
}

func connectURL(ctx context.Context, url string) (*pgx.Conn, error) {
	return pipeline.Connect(ctx, url)
}
