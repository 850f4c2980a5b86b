package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/phase"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/internal/version"
	"github.com/schemadiff/schemadiff/migrate"
	"github.com/schemadiff/schemadiff/schema"
)

// replayMigrations applies the migrations in dir to a new scratch database
// and reads the result. On the kept cluster, the replay starts from the
// state cached for the longest unchanged prefix of dir (see
// pipeline.Replay); -v says how many migrations were restored and applied.
// When o.verifyCopy asks for it, a copy of the cached state read, if any,
// is started in o.replayCopy: generate's verification starts from it.
func (o *options) replayMigrations(ctx context.Context, scratch *pgserver.Scratch, dir string) (*schema.Catalog, error) {
	md, err := pipeline.ReadMigrationsDir(dir)
	if err != nil {
		return nil, err
	}
	r, err := pipeline.Replay(ctx, scratch, pipeline.ReplayOptions{Dir: md, Runner: o.runner(), Output: o.stderr})
	if err != nil {
		return nil, err
	}
	defer r.Close(ctx)
	endRead := phase.Start(ctx, "introspect current")
	cat, err := pipeline.InspectURL(ctx, r.URL, o.filter())
	endRead()
	if err != nil {
		return nil, fmt.Errorf("reading the replayed migrations: %w", err)
	}
	if o.verifyCopy && r.State != "" {
		o.replayCopy = pipeline.CopyReplayState(ctx, scratch, cat.CurrentUser, r.State)
	}
	return cat, nil
}

// runner compiles and runs migrations packages, saying with --verbose
// whether a cached runner is used.
func (o *options) runner() pipeline.Runner {
	return pipeline.Runner{Logf: o.logf, HistoryTable: o.historyTable}
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
	var allowHazards []string
	var noVerify bool
	cmd := &cobra.Command{
		Use:   "generate --schema PATH --dir DIR [--name NAME]",
		Short: "Write the next Go migration (Up and Down) to reach the desired schema",
		Long: `generate compares the desired schema with the current state and writes
DIR/<version>_<name>.go with Up and Down steps. The current state is the
migrations already in DIR replayed into a scratch database, or the database
given by --db. Nothing is written when there are no changes.

The replay (here and in check --dir) keeps, on the kept scratch cluster,
the state after the directory's migrations, keyed by their content: the
next run reads it as it is, or, after migrations were added or edited,
copies the state of the longest unchanged prefix and applies only the
rest. -v says how many were restored and how many applied.
$SCHEMADIFF_REPLAY_CACHE=off (or $SCHEMADIFF_WARM=off) replays them all.

$DATABASE_URL is not used: a database is the current state only when --db
is given on the command line. Such a database must have applied every
migration in DIR (as its history table records them); when it lags behind,
generate refuses (exit 2) and names the pending migrations: apply them
first, or the new migration would repeat them.

Before writing, the migration is proven in a scratch database: starting from
the current state, Up must reach the desired schema (with nothing left to
plan), Down must return to the current state, and Up must work again. A
failure names the statement and writes nothing (--no-verify skips this and
says so in the file header). When the current state is a cached replay
state, the proof starts from a copy of it (with its data), made while the
desired schema loads; otherwise (--db, the cache off) from the current
state rebuilt from its catalog. -v says which.

A migration whose Up carries hazards is refused unless they are allowed with
--allow-hazards. The hazards: ` + hazardNames() + `.`,
		Example: `  schemadiff generate --schema schema/ --dir migrations/ --name add_orders
  schemadiff generate --db "$DATABASE_URL" --schema schema/ --dir migrations/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return withCode(exitError, errors.New("no migrations directory: pass --dir DIR"))
			}
			if err := checkHazardNames(allowHazards); err != nil {
				return withCode(exitError, err)
			}
			md, err := pipeline.ReadMigrationsDir(dir)
			if err != nil {
				return withCode(exitError, err)
			}
			o.noteDatabaseURLUnused("generate")
			ctx, report := o.timings(cmd.Context())
			defer report()
			// Verification starts from a copy of the replayed current
			// state, made while the desired state loads.
			o.verifyCopy = !noVerify && o.db == ""
			defer func() { o.replayCopy.Close(ctx) }()
			st, up, err := o.planUp(ctx, current{dbURL: o.db, dir: dir})
			if err != nil {
				return err
			}
			defer st.close()
			defer func() { o.replayCopy.Close(ctx) }() // before the scratch server stops
			if len(up.Changes) == 0 {
				fmt.Fprintln(o.stderr, "no changes: the schema is up to date, nothing written")
				return nil
			}
			down, err := pipeline.PlanWith(st.desired, st.current, st.downOptions(o))
			if err != nil {
				return withCode(exitError, fmt.Errorf("planning Down: %w", err))
			}
			if err := checkHazards(up, allowHazards); err != nil {
				return withCode(exitError, err)
			}
			f := emit.MigrationFile{Package: md.Package, Version: nextVersion(time.Now(), md.Latest()),
				Name: emit.SanitizeName(name), Parent: md.Latest(), Source: o.schemaLabel(), Generator: version.String(),
				Up: up, Down: down}
			if noVerify {
				f.Notes = append(f.Notes, "Not verified: generated with --no-verify.")
			} else {
				s, err := st.scratchServer(ctx, o)
				if err != nil {
					return withCode(exitError, err)
				}
				o.logf("verifying the migration in a scratch database: Up, Down, Up again")
				err = pipeline.Verify(ctx, s, st.current, st.desired, up, down,
					pipeline.VerifyOptions{From: o.replayCopy, Introspect: o.filter(), Logf: o.logf})
				if err != nil {
					return withCode(exitError, fmt.Errorf("%w\nno file was written; pass --no-verify to write it anyway", err))
				}
				f.Notes = append(f.Notes, "Verified in a scratch database: Up reaches the schema, Down returns, Up again.")
			}
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
	o.addDBUsage(cmd, "compare with this database instead of the migrations in --dir (it must have applied them all; $"+databaseURLEnv+" is not used)")
	o.addSchema(cmd)
	o.addFilters(cmd)
	o.addOnline(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "migrations directory (a Go package inside your module)")
	cmd.Flags().StringVar(&name, "name", "migration", "name of the migration, e.g. add_orders")
	cmd.Flags().StringSliceVar(&allowHazards, "allow-hazards", nil,
		"hazards the Up plan may carry: "+hazardNames()+", or all")
	cmd.Flags().BoolVar(&noVerify, "no-verify", false, "write the migration without proving it in a scratch database first")
	return cmd
}

// hazardKinds are the hazards a plan may carry, as --allow-hazards names
// them.
var hazardKinds = []diff.HazardKind{diff.HazardDeletesData, diff.HazardRevokesAccess, diff.HazardRewritesTable,
	diff.HazardLongLock, diff.HazardBlocksWrites, diff.HazardMayFail, diff.HazardUntrackedDep,
	diff.HazardInvalidBody, diff.HazardIrreversible}

func hazardNames() string {
	names := make([]string, len(hazardKinds))
	for i, k := range hazardKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// checkHazardNames refuses an --allow-hazards value that names no hazard,
// so that a misspelt one does not go unnoticed.
func checkHazardNames(allowed []string) error {
	for _, a := range allowed {
		a = strings.TrimSpace(a)
		if a != "all" && !slices.Contains(hazardKinds, diff.HazardKind(a)) {
			return fmt.Errorf("unknown hazard %q in --allow-hazards: the hazards are %s, or all", a, hazardNames())
		}
	}
	return nil
}

// checkHazards refuses an Up plan carrying hazards that were not allowed.
func checkHazards(up emit.Plan, allowed []string) error {
	allow := map[string]bool{}
	for _, a := range allowed {
		allow[strings.TrimSpace(a)] = true
	}
	if allow["all"] {
		return nil
	}
	var found []string
	kinds := map[string]bool{}
	for _, c := range up.Changes {
		for _, s := range c.Statements {
			for _, h := range s.Hazards {
				if !allow[string(h.Kind)] {
					found = append(found, fmt.Sprintf("  %s: %s", h.Kind, h.Message))
					kinds[string(h.Kind)] = true
				}
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	return fmt.Errorf("the migration carries hazards, so nothing was written:\n%s\nreview them (schemadiff plan shows each beside its statement) and pass --allow-hazards %s to generate it anyway",
		strings.Join(found, "\n"), strings.Join(schema.SortedKeys(kinds), ","))
}

// scratchServer returns the scratch server, starting it if no step needed
// one yet.
func (st *states) scratchServer(ctx context.Context, o *options) (*pgserver.Scratch, error) {
	if st.scratch == nil {
		s, err := o.openScratch(ctx)
		if err != nil {
			return nil, err
		}
		st.scratch = s
	}
	return st.scratch, nil
}

// runnerCommand builds apply, rollback, status and resolve, which compile
// the migrations package and run it with the command line given here:
// their flags, besides --dir, are the runner's own (see addRunnerFlags).
func runnerCommand(o *options, use, short, example string) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.NoArgs,
	}
	runnerArgs := addRunnerFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if dir == "" {
			return withCode(exitError, errors.New("no migrations directory: pass --dir DIR"))
		}
		if o.project.fleet != nil {
			if _, err := pipeline.ReadMigrationsDir(dir); err != nil {
				return withCode(exitError, err)
			}
			return o.runFleet(cmd.Context(), cmd, dir, runnerArgs)
		}
		o.db = cmd.Flags().Lookup("db").Value.String()
		url, err := o.dbURL()
		if err != nil {
			return err
		}
		if _, err := pipeline.ReadMigrationsDir(dir); err != nil {
			return withCode(exitError, err)
		}
		code, err := o.runner().Run(cmd.Context(), dir, runnerArgs(url), o.stdout, o.stderr)
		if err != nil {
			return withCode(exitError, err)
		}
		if code != 0 {
			return withCode(code, nil)
		}
		return nil
	}
	cmd.Flags().StringVar(&dir, "dir", "", "migrations directory (a Go package inside your module)")
	return cmd
}

// addRunnerFlags declares on cmd the flags the migrations runner accepts
// for the command of the same name, as package migrate declares them (same
// names, types, defaults and help). Values are checked here, before the
// migrations are compiled; what they mean is the runner's business. It
// returns the runner's command line: the command, --db with the database
// URL resolved here (--db or $DATABASE_URL), and the other flags given.
func addRunnerFlags(cmd *cobra.Command) func(dbURL string) []string {
	flags := migrate.Flags(cmd.Name())
	for _, f := range flags {
		v := f.NewValue()
		pf := cmd.Flags().VarPF(v, f.Name, "", f.Usage)
		if v.IsBoolFlag() {
			pf.NoOptDefVal = "true"
		}
	}
	takesDB := slices.ContainsFunc(flags, func(f migrate.Flag) bool { return f.Name == "db" })
	return func(dbURL string) []string {
		args := []string{cmd.Name()}
		if takesDB {
			args = append(args, "--db", dbURL)
		}
		for _, f := range flags {
			if pf := cmd.Flags().Lookup(f.Name); pf.Changed && f.Name != "db" {
				args = append(args, "--"+f.Name+"="+pf.Value.String())
			}
		}
		return args
	}
}

// runnerHelp describes, for apply and rollback, how the runner program is
// run, stopped and what its exit codes mean.
const runnerHelp = `The migrations package in DIR is compiled, with the go command, into a
runner program that does the work. SIGINT or SIGTERM sent to schemadiff is
passed on to the runner, which cancels the statement in progress, rolls
back the migration's transaction, releases the migration lock and exits
(a second signal kills it). If schemadiff itself is killed, even with
SIGKILL, the runner stops the same way: it never finishes a migration on its
own. --dry-run prints the migrations and the SQL of their steps, with how
each runs (in the migration's transaction, committed first, or outside any
transaction; Go steps are named), without taking the lock or changing the
database.

Exit codes: 0 done; 1 a migration failed, or one is dirty (a migration
without a transaction failed or was interrupted partway: fix it by hand,
then run schemadiff resolve); 2 any other error, including an interruption
(the migration in progress was rolled back), a runner killed by a signal
("the migrations runner was killed by SIGKILL (signal 9)") or a runner
exit code outside this list (both named on stderr).`

func newApplyCommand(o *options) *cobra.Command {
	cmd := runnerCommand(o, "apply --db URL --dir DIR", "Apply pending migrations",
		`  schemadiff apply --db "$DATABASE_URL" --dir migrations/
  schemadiff apply --db "$DATABASE_URL" --dir migrations/ --dry-run
  schemadiff apply --db "$DATABASE_URL" --dir migrations/ --to 20261122093000 --ddl-lock-timeout 5s`)
	cmd.Long = "apply applies the pending migrations of DIR in version order, each in its own\ntransaction, holding the migration lock.\n\n" + runnerHelp
	return cmd
}

func newResolveCommand(o *options) *cobra.Command {
	return runnerCommand(o, "resolve --db URL --dir DIR --version V (--applied | --pending)",
		"Mark a dirty migration as applied or pending after fixing the database by hand",
		`  # a non-transactional migration failed at step 2 of 3; you finished steps 2-3 by hand:
  schemadiff resolve --db "$DATABASE_URL" --dir migrations/ --version 20261122093000 --applied
  # or you undid step 1 by hand, so the next apply runs it from the start:
  schemadiff resolve --db "$DATABASE_URL" --dir migrations/ --version 20261122093000 --pending`)
}

func newRollbackCommand(o *options) *cobra.Command {
	cmd := runnerCommand(o, "rollback --db URL --dir DIR [--steps N]", "Revert the last applied migrations",
		`  schemadiff rollback --db "$DATABASE_URL" --dir migrations/ --steps 1
  schemadiff rollback --db "$DATABASE_URL" --dir migrations/ --steps 2 --dry-run`)
	cmd.Long = "rollback runs the Down steps of the last N applied migrations, newest first,\neach in its own transaction, holding the migration lock.\n\n" + runnerHelp
	return cmd
}

func newHistoryCommand(o *options) *cobra.Command {
	cmd := runnerCommand(o, "history --db URL --dir DIR [--format text|json]", "List the applied migrations: when, how long and by whom",
		`  schemadiff history --db "$DATABASE_URL" --dir migrations/
  schemadiff history --target prod --format json`)
	cmd.Long = `history lists the migrations recorded in the database's history table,
oldest first: version, name, when it was applied, how long it took and who
applied it ($` + migrate.AppliedBySetting + `, else the user and host that ran
the runner; "-" for migrations applied before the history table recorded it,
an older history table gaining the column at the next apply). It reads
without taking the lock.`
	return cmd
}

func newRedoCommand(o *options) *cobra.Command {
	cmd := runnerCommand(o, "redo --db URL --dir DIR", "Roll back the last applied migration and apply it again (for development)",
		`  # after editing the newest migration, applied to your local database:
  schemadiff redo --db postgres://localhost/app_dev --dir migrations/`)
	cmd.Long = `redo runs the Down steps of the last applied migration, then its Up steps,
for development after editing a migration applied to a local database. If
applying it again fails, it stays rolled back. The migrations package is
compiled and run as for apply.

Exit codes: 0 done; 1 a migration failed (rolling back or applying again),
or one is dirty; 2 any other error, including nothing to redo.`
	return cmd
}

func newStatusCommand(o *options) *cobra.Command {
	cmd := runnerCommand(o, "status --db URL --dir DIR [--fail-on-pending]", "List applied and pending migrations",
		`  schemadiff status --db "$DATABASE_URL" --dir migrations/
  # in CI, after deploying: fail unless everything is applied and clean
  schemadiff status --db "$DATABASE_URL" --dir migrations/ --fail-on-pending`)
	cmd.Long = `status lists every migration of DIR and of the database's history with its
state: applied, pending, failed (the last attempt to apply it failed), dirty
(a migration without a transaction failed or was interrupted partway),
modified (its Up steps changed after it was applied), unknown (applied, but
not in DIR) or running. It reads without taking the lock.

Exit codes: 0 nothing needs attention (pending migrations are normal before
a deploy); 1 a migration is failed, dirty, modified or unknown (listed on
stderr); 2 error; 3 with --fail-on-pending, migrations are pending (or
running) and nothing needs attention, e.g. to check in CI that a deploy
applied everything.`
	return cmd
}
