package migrate

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/schemadiff/schemadiff/internal/appname"
	"github.com/schemadiff/schemadiff/internal/termcolor"
)

// Exit codes returned by Main.
const (
	ExitOK = 0 // the command succeeded
	// ExitMigrationFailed: a migration step failed, or apply/rollback refused
	// to run because a migration is dirty. Retrying will not help: the
	// migration or the database needs fixing.
	ExitMigrationFailed = 1
	// ExitError: usage, connection, lock timeout or any other error, and an
	// interruption (SIGINT, SIGTERM, the parent's death) that rolled the
	// migration in progress back.
	ExitError = 2
	// ExitPending: status --fail-on-pending found migrations waiting to be
	// applied and nothing that needs attention.
	ExitPending = 3
)

// Main is the entry point of the program that `schemadiff apply`, `rollback`
// and `status` compile around a migrations package:
//
//	apply [--to V] [--dry-run] | rollback [--steps N] [--dry-run] |
//	status [--format text|json] [--fail-on-pending] |
//	resolve --version V --applied|--pending |
//	history [--format text|json] | redo |
//	sql [--from V] [--to V] [--down] [--format text|json]
//
// with --table NAME accepted by every command, --db URL (default
// $DATABASE_URL) and --lock-timeout D by every command but sql, which
// reads no database and prints the migrations' SQL (see Script), and --statement-timeout D, --ddl-lock-timeout D
// and --ddl-lock-retries N by apply and rollback (Flags lists them all).
// Errors are printed as "schemadiff: <error>". Progress goes to stderr and the
// status table and dry runs to stdout. It returns ExitOK, ExitMigrationFailed
// when a migration failed or is dirty (for status: when one is failed, dirty,
// modified or unknown), ExitPending for status --fail-on-pending with pending
// migrations, or ExitError for usage, connection, lock timeout and other
// errors. SIGINT, SIGTERM or SIGHUP cancels the command:
// the migration in progress is rolled back, the lock released, and Main
// returns ExitError (ExitMigrationFailed if a migration without a
// transaction was left dirty). So does the death of the parent process
// named by $SCHEMADIFF_PARENT_PID (see ParentPIDEnv).
func Main(set *Set, args []string) int {
	ctx, stop := interruptContext(context.Background(), os.Getenv(ParentPIDEnv))
	defer stop()
	return run(ctx, set, args, os.Stdout, os.Stderr, os.Getenv)
}

// Run runs one command of Main (args as Main takes them) against set, in
// the calling process: with ctx instead of Main's signal handling, and
// with stdout and stderr for its output. It connects, locks, applies and
// records exactly as the compiled runner does, and returns the exit code
// Main would.
func Run(ctx context.Context, set *Set, args []string, stdout, stderr io.Writer) int {
	return run(ctx, set, args, stdout, stderr, os.Getenv)
}

// parseArgs parses args, which may mix flags and the command name.
// It returns flag.ErrHelp when help was asked for.
func parseArgs(args []string, getenv func(string) string) (command, error) {
	var c command
	fs := flag.NewFlagSet("migrations", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	byName := map[string]Flag{}
	for _, f := range flagTable {
		fs.Var(f.bind(&c), f.Name, f.Usage)
		byName[f.Name] = f
	}

	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return c, err
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		rest = rest[1:]
	}
	switch len(positional) {
	case 0:
		return c, errors.New("no command given: want apply, rollback, status, resolve, sql, history or redo")
	case 1:
		c.name = positional[0]
	default:
		return c, fmt.Errorf("unexpected arguments %q after command %q", positional[1:], positional[0])
	}
	var err error
	fs.Visit(func(set *flag.Flag) {
		if f := byName[set.Name]; !f.AppliesTo(c.name) && err == nil {
			err = fmt.Errorf("flag --%s only applies to %s, not %s", f.Name, flagGroup(f), c.name)
		}
	})
	if err != nil {
		return c, err
	}
	switch c.name {
	case "apply", "rollback", "status", "sql", "history", "redo":
	case "resolve":
		if c.version == "" {
			return c, errors.New("resolve needs --version V")
		}
		if c.applied == c.pending {
			return c, errors.New("resolve needs exactly one of --applied (you finished the migration by hand) and --pending (you undid it)")
		}
	default:
		return c, fmt.Errorf("unknown command %q: want apply, rollback, status, resolve, sql, history or redo", c.name)
	}
	if c.name == "rollback" && c.steps < 1 {
		return c, fmt.Errorf("--steps must be at least 1, not %d", c.steps)
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, fmt.Errorf("unknown --log-format %q: want text or json", c.logFormat)
	}
	if c.format != "text" && c.format != "json" {
		return c, fmt.Errorf("unknown --format %q: want text or json", c.format)
	}
	if c.color != "" {
		if _, err := termcolor.ParseMode(c.color); err != nil {
			return c, err
		}
	}
	if c.lockTimeout <= 0 {
		return c, fmt.Errorf("--lock-timeout must be positive, not %s", c.lockTimeout)
	}
	if c.stmtTimeout < 0 || c.ddlTimeout < 0 || c.ddlRetries < 0 {
		return c, errors.New("--statement-timeout, --ddl-lock-timeout and --ddl-lock-retries must not be negative")
	}
	if c.name == cmdSQL {
		return c, nil // it reads no database
	}
	if c.dbURL == "" {
		c.dbURL = getenv("DATABASE_URL")
	}
	if c.dbURL == "" {
		return c, errors.New("no database given: pass --db URL or set DATABASE_URL")
	}
	return c, nil
}

// run is Main with its environment passed in.
func run(ctx context.Context, set *Set, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	c, err := parseArgs(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usageText())
		return ExitOK
	}
	if err != nil {
		appname.PrintError(stderr, err)
		fmt.Fprint(stderr, "\n"+usageText())
		return ExitError
	}
	if set == nil {
		set = NewSet()
	}
	if err := set.Validate(); err != nil {
		appname.PrintError(stderr, err)
		return ExitError
	}
	if c.name == cmdSQL {
		return exitFor(ctx, stderr, printScript(set, c, stdout))
	}

	var logger *slog.Logger
	if c.logFormat == "json" {
		logger = slog.New(slog.NewJSONHandler(stderr, nil))
		stderr = &logLines{ctx: ctx, logger: logger}
	}
	conn, err := connectRunner(ctx, c)
	if err != nil {
		appname.PrintError(stderr, err)
		return ExitError
	}
	defer conn.Close(context.WithoutCancel(ctx))

	m := NewMigrator(conn, set, Options{
		Table:            c.table,
		LockTimeout:      c.lockTimeout,
		StatementTimeout: c.stmtTimeout,
		DDLLockTimeout:   offIfZero(c.ddlTimeout),
		DDLLockRetries:   offIfZero(c.ddlRetries),
		AllowOutOfOrder:  c.outOfOrder,
		AppliedBy:        appliedBy(getenv),
		Logger:           logger,
		Logf: func(format string, args ...any) {
			fmt.Fprintf(stderr, format+"\n", args...)
		},
	})
	switch {
	case c.dryRun:
		return exitFor(ctx, stderr, dryRun(ctx, m, c, stdout, stderr))
	case c.name == "apply":
		applied, err := m.Apply(ctx, c.to)
		if len(applied) > 0 {
			fmt.Fprintf(stderr, "applied %s\n", plural(len(applied)))
		}
		return exitFor(ctx, stderr, err)
	case c.name == "rollback":
		reverted, err := m.Rollback(ctx, c.steps)
		if len(reverted) > 0 {
			fmt.Fprintf(stderr, "rolled back %s\n", plural(len(reverted)))
		}
		return exitFor(ctx, stderr, err)
	case c.name == cmdRedo:
		mig, err := m.Redo(ctx)
		if err == nil {
			fmt.Fprintf(stderr, "redid %s\n", mig)
		}
		return exitFor(ctx, stderr, err)
	case c.name == cmdHistory:
		applied, err := m.History(ctx)
		if err == nil {
			err = printColored(stdout, c, func(w io.Writer) error { return printHistory(w, applied, c.format) })
		}
		return exitFor(ctx, stderr, err)
	case c.name == "resolve":
		return exitFor(ctx, stderr, m.Resolve(ctx, c.version, c.applied))
	default:
		st, err := m.Status(ctx)
		if err != nil {
			return exitFor(ctx, stderr, err)
		}
		if err := printColored(stdout, c, func(w io.Writer) error { return printStatus(w, stderr, st, c.format) }); err != nil {
			return exitFor(ctx, stderr, fmt.Errorf("writing status: %w", err))
		}
		return statusExit(stderr, st, c.failOnPending)
	}
}

// connectRunner opens the runner's connection: named in pg_stat_activity
// ("schemadiff-runner apply"), and cancelling a statement on the server
// when ctx is cancelled, so that an interrupted migration's transaction
// rolls back and the lock is released on a connection that stays usable.
func connectRunner(ctx context.Context, c command) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(c.dbURL)
	if err != nil {
		return nil, fmt.Errorf("parsing database URL: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 15 * time.Second
	}
	appname.Set(&cfg.Config, appname.Runner(c.name))
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: cancelGrace}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	// Have the server notice within a second when this program dies, so that
	// a killed runner's backend stops its statement, rolls back and releases
	// its locks instead of running on. PostgreSQL before 14, and platforms
	// without the needed kernel support, reject it; that is harmless.
	_, _ = conn.Exec(ctx, "SET client_connection_check_interval = 1000")
	return conn, nil
}

// cancelGrace is how long the runner waits for the server to cancel a
// statement after an interruption before it closes the connection, which
// also ends the statement and rolls its transaction back.
const cancelGrace = 5 * time.Second

// exitFor prints err, if any, and returns the matching exit code. After an
// interruption it says what became of the migration in progress.
func exitFor(ctx context.Context, stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	appname.PrintError(stderr, err)
	if intr, ok := interruptedBy(ctx); ok {
		return exitInterrupted(stderr, intr, err)
	}
	if me, ok := errors.AsType[*MigrationError](err); ok {
		if me.Dirty() {
			fmt.Fprintln(stderr, me.failure().Guidance())
		}
		return ExitMigrationFailed
	}
	if _, ok := errors.AsType[*DirtyError](err); ok {
		return ExitMigrationFailed
	}
	return ExitError
}

// offIfZero maps a flag's 0, which means "off" on the command line, to the
// negative value that means "off" in Options (where 0 means the default).
func offIfZero[T int | time.Duration](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

// exitInterrupted reports an interruption: a migration in a transaction
// was rolled back (ExitError); one without a transaction may be dirty
// (ExitMigrationFailed).
func exitInterrupted(stderr io.Writer, intr *interruption, err error) int {
	me, ok := errors.AsType[*MigrationError](err)
	switch {
	case ok && me.Dirty():
		fmt.Fprintf(stderr, "%s during migration %s, which runs without a transaction: it is dirty\n", intr, me.Version)
		fmt.Fprintln(stderr, me.failure().Guidance())
		return ExitMigrationFailed
	case ok && me.Down:
		fmt.Fprintf(stderr, "%s: rolling back migration %s was itself rolled back (its transaction did not commit), so it stays applied\n", intr, me.Version)
	case ok:
		fmt.Fprintf(stderr, "%s: migration %s was rolled back (its transaction did not commit), so it is not applied; apply runs it again\n", intr, me.Version)
	default:
		fmt.Fprintf(stderr, "%s: stopped; migrations finished before it stay applied\n", intr)
	}
	return ExitError
}

func plural(n int) string {
	if n == 1 {
		return "1 migration"
	}
	return fmt.Sprintf("%d migrations", n)
}

// logLines is stderr with --log-format json: each message written to it
// (one Write ending in a newline, as fmt.Fprintf and Fprintln make) becomes
// a log record, at level Error for an error ("schemadiff: ..."), Warn for a
// warning, else Info, so that everything on stderr is JSON.
type logLines struct {
	ctx    context.Context
	logger *slog.Logger
	buf    []byte
}

func (l *logLines) Write(b []byte) (int, error) {
	l.buf = append(l.buf, b...)
	if len(l.buf) == 0 || l.buf[len(l.buf)-1] != '\n' {
		return len(b), nil
	}
	msg := strings.TrimSpace(string(l.buf))
	l.buf = l.buf[:0]
	level := slog.LevelInfo
	switch {
	case strings.HasPrefix(msg, appname.CLI+": "):
		level, msg = slog.LevelError, strings.TrimPrefix(msg, appname.CLI+": ")
	case strings.HasPrefix(msg, "warning: "):
		level, msg = slog.LevelWarn, strings.TrimPrefix(msg, "warning: ")
	}
	if msg != "" {
		l.logger.Log(l.ctx, level, msg)
	}
	return len(b), nil
}

// printColored runs print into a buffer and writes what it printed to w:
// text output coloured (headers bold, states that need attention in red or
// yellow) when --color says so, JSON as it is.
func printColored(w io.Writer, c command, print func(io.Writer) error) error {
	mode := termcolor.Mode(c.color)
	if c.format == "json" {
		mode = termcolor.Never
	}
	var buf bytes.Buffer
	if err := print(&buf); err != nil {
		return err
	}
	return termcolor.Write(w, mode, buf.String(), termcolor.TableLine)
}
