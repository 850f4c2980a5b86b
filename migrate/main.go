package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
)

// Exit codes returned by Main.
const (
	ExitOK              = 0 // the command succeeded
	ExitMigrationFailed = 1 // a migration step failed
	ExitError           = 2 // usage, connection or any other error
)

const usageText = `usage: <program> <command> [flags]

commands:
  apply    [--to VERSION]          apply pending migrations (up to and including VERSION)
  rollback [--steps N]             roll back the last N applied migrations (default 1)
  status   [--format text|json]    list migrations and whether they are applied

flags for every command:
  --db URL             database URL (default $DATABASE_URL)
  --lock-timeout D     how long to wait for the migration lock (default 5m)
  --table NAME         history table, "table" or "schema.table" (default schemadiff_migrations)

exit codes: 0 ok, 1 a migration failed, 2 usage, connection or other error
`

// Main is the entry point of the program that `schemadiff apply`, `rollback`
// and `status` compile around a migrations package:
//
//	apply [--to V] | rollback [--steps N] | status [--format text|json]
//
// with --db URL (default $DATABASE_URL), --lock-timeout D and --table NAME
// accepted by every command. Progress goes to stderr and the status table to
// stdout. It returns ExitOK, ExitMigrationFailed when a migration failed, or
// ExitError for usage, connection and other errors. An interrupt cancels the
// running command.
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
		return c, errors.New("no command given: want apply, rollback or status")
	case 1:
		c.name = positional[0]
	default:
		return c, fmt.Errorf("unexpected arguments %q after command %q", positional[1:], positional[0])
	}
	only := map[string]string{"to": "apply", "steps": "rollback", "format": "status"}
	var err error
	fs.Visit(func(f *flag.Flag) {
		if cmd, ok := only[f.Name]; ok && cmd != c.name && err == nil {
			err = fmt.Errorf("flag --%s only applies to %s, not %s", f.Name, cmd, c.name)
		}
	})
	if err != nil {
		return c, err
	}
	switch c.name {
	case "apply", "rollback", "status":
	default:
		return c, fmt.Errorf("unknown command %q: want apply, rollback or status", c.name)
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

	m := NewMigrator(conn, set, Options{
		Table:       c.table,
		LockTimeout: c.lockTimeout,
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
	if _, ok := errors.AsType[*MigrationError](err); ok {
		return ExitMigrationFailed
	}
	return ExitError
}

func plural(n int) string {
	if n == 1 {
		return "1 migration"
	}
	return fmt.Sprintf("%d migrations", n)
}

// statusJSON is the JSON form of a MigrationStatus.
type statusJSON struct {
	Version    string     `json:"version"`
	Name       string     `json:"name"`
	State      string     `json:"state"`
	Applied    bool       `json:"applied"`
	AppliedAt  *time.Time `json:"applied_at"`
	DurationMS *int64     `json:"duration_ms"`
}

// printStatus writes the status table (or JSON) to stdout and warnings to
// stderr.
func printStatus(stdout, stderr io.Writer, st []MigrationStatus, format string) error {
	pending := 0
	for _, s := range st {
		switch s.State() {
		case "pending":
			pending++
		case "modified":
			fmt.Fprintf(stderr, "warning: migration %s %s was modified after it was applied\n", s.Version, s.Name)
		case "unknown":
			fmt.Fprintf(stderr, "warning: migration %s %s is recorded in the database but not in this program\n", s.Version, s.Name)
		}
	}
	if format == "json" {
		out := make([]statusJSON, 0, len(st))
		for _, s := range st {
			j := statusJSON{Version: s.Version, Name: s.Name, State: s.State(), Applied: s.Applied}
			if s.Applied {
				at, ms := s.AppliedAt.UTC(), s.Duration.Milliseconds()
				j.AppliedAt, j.DurationMS = &at, &ms
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT")
	for _, s := range st {
		at := "-"
		if s.Applied {
			at = s.AppliedAt.UTC().Format("2006-01-02 15:04:05 MST")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Version, s.Name, s.State(), at)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s, %d pending\n", plural(len(st)), pending)
	return nil
}
