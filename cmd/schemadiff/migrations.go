package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/schema"
)

// replayMigrations applies the migrations in dir to a new scratch database
// and reads the result.
func (o *options) replayMigrations(ctx context.Context, scratch *pgserver.Scratch, dir string) (*schema.Catalog, error) {
	md, err := pipeline.ReadMigrationsDir(dir)
	if err != nil {
		return nil, err
	}
	url, err := scratch.NewDatabase(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating scratch database: %w", err)
	}
	defer scratch.DropDatabase(context.WithoutCancel(ctx), url) //nolint:errcheck // Close drops it too
	if len(md.Versions) > 0 {
		o.logf("replaying %d migration(s) of %s into a scratch database", len(md.Versions), dir)
		code, err := pipeline.RunMigrations(ctx, dir, []string{"apply", "--db", url}, o.stderr, o.stderr)
		if err != nil {
			return nil, fmt.Errorf("replaying migrations of %s: %w", dir, err)
		}
		if code != 0 {
			return nil, fmt.Errorf("replaying migrations of %s into a scratch database failed (exit %d, see above)", dir, code)
		}
	}
	cat, err := pipeline.InspectURL(ctx, url, o.filter())
	if err != nil {
		return nil, fmt.Errorf("reading the replayed migrations: %w", err)
	}
	return cat, nil
}

// nextVersion returns a UTC timestamp version later than latest.
func nextVersion(now time.Time, latest string) string {
	v := now.UTC().Format("20060102150405")
	if v > latest {
		return v
	}
	t, err := time.Parse("20060102150405", latest)
	if err != nil {
		n, _ := strconv.ParseInt(latest, 10, 64)
		return strconv.FormatInt(n+1, 10)
	}
	return t.Add(time.Second).Format("20060102150405")
}

func newGenerateCommand(o *options) *cobra.Command {
	var dir, name string
	cmd := &cobra.Command{
		Use:   "generate --schema PATH --dir DIR [--name NAME]",
		Short: "Write the next Go migration (Up and Down) to reach the desired schema",
		Long: `generate compares the desired schema with the current state and writes
DIR/<version>_<name>.go with Up and Down steps. The current state is the
database given by --db, or else the migrations already in DIR replayed into
a scratch database. Nothing is written when there are no changes.`,
		Example: `  schemadiff generate --schema schema/ --dir migrations/ --name add_orders
  schemadiff generate --db "$DATABASE_URL" --schema schema/ --dir migrations/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return withCode(exitError, errors.New("no migrations directory: pass --dir DIR"))
			}
			md, err := pipeline.ReadMigrationsDir(dir)
			if err != nil {
				return withCode(exitError, err)
			}
			st, err := o.loadStates(cmd.Context(), dir)
			if err != nil {
				return err
			}
			up, err := pipeline.Plan(st.current, st.desired)
			if err != nil {
				return withCode(exitError, err)
			}
			if len(up.Changes) == 0 {
				fmt.Fprintln(o.stderr, "no changes: the schema is up to date, nothing written")
				return nil
			}
			down, err := pipeline.Plan(st.desired, st.current)
			if err != nil {
				return withCode(exitError, fmt.Errorf("planning Down: %w", err))
			}
			f := emit.MigrationFile{Package: md.Package, Version: nextVersion(time.Now(), md.Latest()),
				Name: emit.SanitizeName(name), Parent: md.Latest(), Source: o.schemaPath, Up: up, Down: down}
			src, err := emit.GoMigration(f)
			if err != nil {
				return withCode(exitError, fmt.Errorf("rendering migration: %w", err))
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return withCode(exitError, fmt.Errorf("creating migrations directory: %w", err))
			}
			pkgFile := filepath.Join(dir, "migrations.go")
			if _, err := os.Stat(pkgFile); errors.Is(err, os.ErrNotExist) && len(md.Versions) == 0 {
				pkgSrc, err := emit.GoPackageFile(md.Package)
				if err != nil {
					return withCode(exitError, err)
				}
				if err := os.WriteFile(pkgFile, pkgSrc, 0o644); err != nil {
					return withCode(exitError, fmt.Errorf("writing %s: %w", pkgFile, err))
				}
			}
			path := filepath.Join(dir, f.FileName())
			if err := os.WriteFile(path, src, 0o644); err != nil {
				return withCode(exitError, fmt.Errorf("writing %s: %w", path, err))
			}
			fmt.Fprintln(o.stdout, path)
			fmt.Fprintf(o.stderr, "wrote %s: %d change(s) up, %d down\n", path, len(up.Changes), len(down.Changes))
			return nil
		},
	}
	o.addDB(cmd)
	o.addSchema(cmd)
	o.addFilters(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "migrations directory (a Go package inside your module)")
	cmd.Flags().StringVar(&name, "name", "migration", "name of the migration, e.g. add_orders")
	return cmd
}

// runnerCommand builds apply, rollback and status, which compile and run
// the migrations package.
func runnerCommand(o *options, use, short, example string, extra func(*cobra.Command) func() []string) *cobra.Command {
	var dir, lockTimeout string
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.NoArgs,
	}
	more := extra(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if dir == "" {
			return withCode(exitError, errors.New("no migrations directory: pass --dir DIR"))
		}
		url, err := o.dbURL()
		if err != nil {
			return err
		}
		if _, err := pipeline.ReadMigrationsDir(dir); err != nil {
			return withCode(exitError, err)
		}
		args := append([]string{cmd.Name(), "--db", url}, more()...)
		if lockTimeout != "" {
			args = append(args, "--lock-timeout", lockTimeout)
		}
		code, err := pipeline.RunMigrations(cmd.Context(), dir, args, o.stdout, o.stderr)
		if err != nil {
			return withCode(exitError, err)
		}
		if code != 0 {
			return withCode(code, nil)
		}
		return nil
	}
	o.addDB(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "migrations directory (a Go package inside your module)")
	cmd.Flags().StringVar(&lockTimeout, "lock-timeout", "", "how long to wait for another process's migration lock (e.g. 30s; default 5m)")
	return cmd
}

func newApplyCommand(o *options) *cobra.Command {
	return runnerCommand(o, "apply --db URL --dir DIR", "Apply pending migrations",
		`  schemadiff apply --db "$DATABASE_URL" --dir migrations/
  schemadiff apply --db "$DATABASE_URL" --dir migrations/ --to 20261122093000`,
		func(cmd *cobra.Command) func() []string {
			var to string
			cmd.Flags().StringVar(&to, "to", "", "apply up to and including this version")
			return func() []string {
				if to != "" {
					return []string{"--to", to}
				}
				return nil
			}
		})
}

func newRollbackCommand(o *options) *cobra.Command {
	return runnerCommand(o, "rollback --db URL --dir DIR [--steps N]", "Revert the last applied migrations",
		`  schemadiff rollback --db "$DATABASE_URL" --dir migrations/ --steps 1`,
		func(cmd *cobra.Command) func() []string {
			var steps int
			cmd.Flags().IntVar(&steps, "steps", 1, "how many migrations to revert")
			return func() []string { return []string{"--steps", strconv.Itoa(steps)} }
		})
}

func newStatusCommand(o *options) *cobra.Command {
	return runnerCommand(o, "status --db URL --dir DIR", "List applied and pending migrations",
		`  schemadiff status --db "$DATABASE_URL" --dir migrations/`,
		func(cmd *cobra.Command) func() []string {
			var format string
			cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
			return func() []string { return []string{"--format", format} }
		})
}
