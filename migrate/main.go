package migrate

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Exit codes returned by Main.
const (
	ExitOK = 0 // the command succeeded
	// ExitMigrationFailed: a migration step failed, or apply/rollback refused
	// to run because a migration is dirty. Retrying will not help: the
	// migration or the database needs fixing.
	ExitMigrationFailed = 1
	// ExitError: usage, connection, lock timeout or any other error.
	ExitError = 2
)

const usageText = `usage: <program> <command> [flags]

commands:
  apply    [--to VERSION]          apply pending migrations (up to and including VERSION)
  rollback [--steps N]             roll back the last N applied migrations (default 1)
  status   [--format text|json]    list migrations and whether they are applied, failed or dirty
  resolve  --version V --applied|--pending
                                   after fixing the database by hand, record a (dirty)
                                   migration as applied or as pending and clear its failure

flags for every command:
  --db URL                 database URL (default $DATABASE_URL)
  --lock-timeout D         how long to wait for the migration lock (default 5m)
  --table NAME             history table, "table" or "schema.table" (default schemadiff_migrations)

flags for apply and rollback (a migration's own timeouts take precedence):
  --statement-timeout D    statement_timeout of each migration (default: the server's)
  --ddl-lock-timeout D     lock_timeout of each migration's statements (default 500ms;
                           0 waits for locks as long as it takes, without retries)
  --ddl-lock-retries N     how often a statement that hit the lock_timeout is tried
                           again, with growing pauses, once what it did rolled back
                           (default 5; 0 fails at once)

exit codes: 0 ok; 1 a migration failed, or one is dirty (a migration without a
transaction failed partway: fix it by hand, then run resolve); 2 usage,
connection, lock timeout or other error
`

// Main is the entry point of the program that `schemadiff apply`, `rollback`
// and `status` compile around a migrations package:
//
//	apply [--to V] | rollback [--steps N] | status [--format text|json] |
//	resolve --version V --applied|--pending
//
// with --db URL (default $DATABASE_URL), --lock-timeout D and --table NAME
// accepted by every command, and --statement-timeout D, --ddl-lock-timeout D
// and --ddl-lock-retries N by apply and rollback. Progress goes to stderr and the
// status table to stdout. It returns ExitOK, ExitMigrationFailed when a
// migration failed or is dirty, or ExitError for usage, connection, lock
// timeout and other errors. An interrupt cancels the running command.
func Main(set *Set, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, set, args, os.Stdout, os.Stderr, os.Getenv)
}

// command is a parsed command line.
type command struct {
	name        string
	dbURL       string
	lockTimeout time.Duration
	table       string
	to          string
	steps       int
	format      string
	stmtTimeout time.Duration
	ddlTimeout  time.Duration
	ddlRetries  int
	version     string
	applied     bool
	pending     bool
}

// parseArgs parses args, which may mix flags and the command name.
// It returns flag.ErrHelp when help was asked for.
func parseArgs(args []string, getenv func(string) string) (command, error) {
	var c command
	fs := flag.NewFlagSet("migrations", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.dbURL, "db", "", "")
	fs.DurationVar(&c.lockTimeout, "lock-timeout", DefaultLockTimeout, "")
	fs.StringVar(&c.table, "table", "", "")
	fs.StringVar(&c.to, "to", "", "")
	fs.IntVar(&c.steps, "steps", 1, "")
	fs.StringVar(&c.format, "format", "text", "")
	fs.DurationVar(&c.stmtTimeout, "statement-timeout", 0, "")
	fs.DurationVar(&c.ddlTimeout, "ddl-lock-timeout", DefaultDDLLockTimeout, "")
	fs.IntVar(&c.ddlRetries, "ddl-lock-retries", DefaultDDLLockRetries, "")
	fs.StringVar(&c.version, "version", "", "")
	fs.BoolVar(&c.applied, "applied", false, "")
	fs.BoolVar(&c.pending, "pending", false, "")

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
		return c, errors.New("no command given: want apply, rollback, status or resolve")
	case 1:
		c.name = positional[0]
	default:
		return c, fmt.Errorf("unexpected arguments %q after command %q", positional[1:], positional[0])
	}
	only := map[string][]string{"to": {"apply"}, "steps": {"rollback"}, "format": {"status"},
		"statement-timeout": {"apply", "rollback"}, "ddl-lock-timeout": {"apply", "rollback"}, "ddl-lock-retries": {"apply", "rollback"},
		"version": {"resolve"}, "applied": {"resolve"}, "pending": {"resolve"}}
	var err error
	fs.Visit(func(f *flag.Flag) {
		if cmds, ok := only[f.Name]; ok && !slices.Contains(cmds, c.name) && err == nil {
			err = fmt.Errorf("flag --%s only applies to %s, not %s", f.Name, strings.Join(cmds, " and "), c.name)
		}
	})
	if err != nil {
		return c, err
	}
	switch c.name {
	case "apply", "rollback", "status":
	case "resolve":
		if c.version == "" {
			return c, errors.New("resolve needs --version V")
		}
		if c.applied == c.pending {
			return c, errors.New("resolve needs exactly one of --applied (you finished the migration by hand) and --pending (you undid it)")
		}
	default:
		return c, fmt.Errorf("unknown command %q: want apply, rollback, status or resolve", c.name)
	}
	if c.name == "rollback" && c.steps < 1 {
		return c, fmt.Errorf("--steps must be at least 1, not %d", c.steps)
	}
	if c.format != "text" && c.format != "json" {
		return c, fmt.Errorf("unknown --format %q: want text or json", c.format)
	}
	if c.lockTimeout <= 0 {
		return c, fmt.Errorf("--lock-timeout must be positive, not %s", c.lockTimeout)
	}
	if c.stmtTimeout < 0 || c.ddlTimeout < 0 || c.ddlRetries < 0 {
		return c, errors.New("--statement-timeout, --ddl-lock-timeout and --ddl-lock-retries must not be negative")
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
		fmt.Fprint(stdout, usageText)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n\n%s", err, usageText)
		return ExitError
	}
	if set == nil {
		set = NewSet()
	}
	if err := set.Validate(); err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return ExitError
	}

	cfg, err := pgx.ParseConfig(c.dbURL)
	if err != nil {
		fmt.Fprintf(stderr, "error: parsing database URL: %v\n", err)
		return ExitError
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 15 * time.Second
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "schemadiff"
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "error: connecting to the database: %v\n", err)
		return ExitError
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// Have the server notice within a second when this program dies, so that
	// a killed runner's backend stops its statement, rolls back and releases
	// its locks instead of running on. PostgreSQL before 14, and platforms
	// without the needed kernel support, reject it; that is harmless.
	_, _ = conn.Exec(ctx, "SET client_connection_check_interval = 1000")

	m := NewMigrator(conn, set, Options{
		Table:            c.table,
		LockTimeout:      c.lockTimeout,
		StatementTimeout: c.stmtTimeout,
		DDLLockTimeout:   offIfZero(c.ddlTimeout),
		DDLLockRetries:   offIfZero(c.ddlRetries),
		Logf: func(format string, args ...any) {
			fmt.Fprintf(stderr, format+"\n", args...)
		},
	})
	switch c.name {
	case "apply":
		applied, err := m.Apply(ctx, c.to)
		if len(applied) > 0 {
			fmt.Fprintf(stderr, "applied %s\n", plural(len(applied)))
		}
		return exitFor(stderr, err)
	case "rollback":
		reverted, err := m.Rollback(ctx, c.steps)
		if len(reverted) > 0 {
			fmt.Fprintf(stderr, "rolled back %s\n", plural(len(reverted)))
		}
		return exitFor(stderr, err)
	case "resolve":
		return exitFor(stderr, m.Resolve(ctx, c.version, c.applied))
	default:
		st, err := m.Status(ctx)
		if err != nil {
			return exitFor(stderr, err)
		}
		if err := printStatus(stdout, stderr, st, c.format); err != nil {
			return exitFor(stderr, fmt.Errorf("writing status: %w", err))
		}
		return ExitOK
	}
}

// exitFor prints err, if any, and returns the matching exit code.
func exitFor(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(stderr, "error: %v\n", err)
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

func plural(n int) string {
	if n == 1 {
		return "1 migration"
	}
	return fmt.Sprintf("%d migrations", n)
}
