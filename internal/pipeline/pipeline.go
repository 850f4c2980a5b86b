// Package pipeline joins schemadiff's parts into the steps the commands
// run: read the desired state from SQL files through a scratch database,
// read the current state from a database, and plan between them.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/schemadiff/schemadiff/dag"
	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/appname"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/phase"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/source"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// Connect opens a connection, naming the database in errors without its
// password. The connection's application_name is "schemadiff" unless the
// URL sets one.
func Connect(ctx context.Context, url string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parsing database URL: %w", err)
	}
	appname.Set(&cfg.Config, appname.CLI)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to database %q on %s: %w", cfg.Database, cfg.Host, err)
	}
	return conn, nil
}

// InspectURL reads the catalog of the database at url.
func InspectURL(ctx context.Context, url string, opts introspect.Options) (*schema.Catalog, error) {
	conn, err := Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return inspectConcurrently(ctx, conn, url, opts)
}

// inspectConcurrently reads the catalog of the database conn is connected
// to, url, over conn and a second connection (see
// introspect.InspectConcurrently); without a second connection, over conn
// alone.
func inspectConcurrently(ctx context.Context, conn *pgx.Conn, url string, opts introspect.Options) (*schema.Catalog, error) {
	cat, _, err := inspectTables(ctx, conn, url, opts, nil)
	return cat, err
}

// inspectTables is inspectConcurrently reusing the unchanged tables of
// reuse (see introspect.InspectTables), which may be nil, and also
// returning the OIDs of the tables.
func inspectTables(ctx context.Context, conn *pgx.Conn, url string, opts introspect.Options, reuse *introspect.Reuse) (*schema.Catalog, introspect.TableOIDs, error) {
	helper, err := Connect(ctx, url)
	if err != nil {
		return introspect.InspectTables(ctx, conn, nil, opts, reuse)
	}
	defer helper.Close(context.WithoutCancel(ctx))
	return introspect.InspectTables(ctx, conn, helper, opts, reuse)
}

// ReadSchema reads the desired schema at paths — SQL files, Go structs
// with schemadiff tags, or directories holding either — merged into one,
// without touching any database, so errors in it surface first. A name
// defined in two files is an error naming both. It returns the statements
// in loading order and the rename hints written in the files. The SQL
// files are read through the parse cache (see source.ParseCacheEnv): only
// the statements that changed since they were last read are parsed.
func ReadSchema(paths ...string) ([]sqlfile.Statement, []schema.Rename, error) {
	stmts, renames, err := source.Read(paths...)
	if err != nil {
		return nil, nil, err
	}
	return sqlfile.Order(stmts), renames, nil
}

type connExecer struct{ conn *pgx.Conn }

func (e connExecer) Exec(ctx context.Context, sql string) error {
	_, err := e.conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	return err
}

// LoadDesired loads statements into a new scratch database and reads its
// catalog: the desired state, canonical as PostgreSQL prints it. It is
// LoadDesiredAs with the default loading role.
func LoadDesired(ctx context.Context, scratch *pgserver.Scratch, stmts []sqlfile.Statement, opts introspect.Options) (*schema.Catalog, error) {
	return LoadDesiredAs(ctx, scratch, "", stmts, opts)
}

// LoadDesiredAs loads statements into a new scratch database and reads its
// catalog. The statements run as a role without superuser or any other
// right that owns the database, named role on the embedded server (the
// target's role, so that the catalog reads the same; "" for the default),
// except CREATE EXTENSION of an installed extension and event trigger
// statements, which run as the administrator (see sandbox.load).
func LoadDesiredAs(ctx context.Context, scratch *pgserver.Scratch, role string, stmts []sqlfile.Statement, opts introspect.Options) (*schema.Catalog, error) {
	cat, _, err := LoadDesiredReport(ctx, scratch, role, stmts, opts)
	return cat, err
}

// loadDesiredCold loads statements into a new scratch database and reads
// its catalog.
func loadDesiredCold(ctx context.Context, scratch *pgserver.Scratch, role string, stmts []sqlfile.Statement, opts introspect.Options) (*schema.Catalog, error) {
	endCreate := phase.Start(ctx, "scratch database")
	sb, err := openSandbox(ctx, scratch, role)
	endCreate()
	if err != nil {
		return nil, err
	}
	defer func() {
		defer phase.Start(ctx, "scratch database")()
		if sb != nil {
			sb.close(ctx)
		}
	}()
	endLoad := phase.Start(ctx, "load desired")
	err = sb.load(ctx, stmts, loadSpread)
	if errors.Is(err, errParallel) {
		scratch.Logf("loading the schema again over one connection: %v", err)
		sb.close(ctx)
		if sb, err = openSandbox(ctx, scratch, role); err != nil {
			sb = nil
			endLoad()
			return nil, err
		}
		err = sb.load(ctx, stmts, loadInOrder)
	}
	endLoad()
	if err != nil {
		return nil, err
	}
	return readDesired(ctx, sb, stmts, opts)
}

// readDesired reads the catalog of a sandbox the statements were loaded
// into.
func readDesired(ctx context.Context, sb *sandbox, stmts []sqlfile.Statement, opts introspect.Options) (*schema.Catalog, error) {
	end := phase.Start(ctx, "introspect desired")
	cat, err := inspectDesired(ctx, sb, opts)
	end()
	if err != nil {
		return nil, err
	}
	return cat, annotateDesired(cat, stmts)
}

// inspectDesired reads the catalog of the database the schema files were
// loaded into.
func inspectDesired(ctx context.Context, sb *sandbox, opts introspect.Options) (*schema.Catalog, error) {
	cat, _, err := inspectDesiredTables(ctx, sb, opts, nil)
	return cat, err
}

// inspectDesiredTables is inspectDesired reusing the unchanged tables of
// reuse, which may be nil, and also returning the OIDs of the tables.
func inspectDesiredTables(ctx context.Context, sb *sandbox, opts introspect.Options, reuse *introspect.Reuse) (*schema.Catalog, introspect.TableOIDs, error) {
	cat, oids, err := inspectTables(ctx, sb.loader, sb.sb.URL, opts, reuse)
	if err != nil {
		return nil, nil, err
	}
	if err := markBodyErrors(ctx, sb.loader, cat); err != nil {
		return nil, nil, err
	}
	return cat, oids, nil
}

// annotateDesired adds to the desired catalog what the schema files say
// of its objects beyond the database: where each is defined, and the
// conversion hints of its columns.
func annotateDesired(cat *schema.Catalog, stmts []sqlfile.Statement) error {
	cat.Sources = sqlfile.Positions(stmts)
	var err error
	cat.Conversions, err = sqlfile.ConversionHints(stmts)
	return err
}

// loadBatch is how many statements one transaction of a load runs at
// most. One transaction for many statements is several times faster than
// one per statement, but PostgreSQL slows down in a transaction that
// creates tens of thousands of objects (a 10,000-table schema loads about
// three times slower in one transaction than with one per statement).
const loadBatch = 1000

// loadStatements runs the statements in transactions of loadBatch
// statements.
func loadStatements(ctx context.Context, conn *pgx.Conn, stmts []sqlfile.Statement) error {
	for len(stmts) > 0 {
		n := min(loadBatch, len(stmts))
		if err := loadTransaction(ctx, conn, stmts[:n]); err != nil {
			return err
		}
		stmts = stmts[n:]
	}
	return nil
}

// loadTransaction runs the statements in one transaction, joined into as
// few queries as joinable allows (one round trip each). A query that fails
// does not say which of its statements did: the transaction then starts
// over one statement per query, which names it. Statements that cannot run
// in a transaction block (or use an enum value added in the same
// transaction) make it start over one statement at a time.
func loadTransaction(ctx context.Context, conn *pgx.Conn, stmts []sqlfile.Statement) error {
	err := inTransaction(ctx, conn, func(tx pgx.Tx) error {
		for _, run := range queryRuns(stmts, sequence(len(stmts)), nil) {
			if _, err := tx.Exec(ctx, joinQuery(stmts, run, nil), pgx.QueryExecModeSimpleProtocol); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		return nil
	}
	if code := pgErrCode(err); code != "25001" && code != "55P04" {
		err = inTransaction(ctx, conn, func(tx pgx.Tx) error { return sqlfile.Load(ctx, txExecer{tx}, stmts) })
	}
	if code := pgErrCode(err); code == "25001" || code == "55P04" {
		err = sqlfile.Load(ctx, connExecer{conn}, stmts)
	}
	return explainDenied(err)
}

// inTransaction runs f in a transaction on conn, committed when f succeeds
// and rolled back when it fails.
func inTransaction(ctx context.Context, conn *pgx.Conn, f func(pgx.Tx) error) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("starting to load the schema: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // failure path
		return err
	}
	return tx.Commit(ctx)
}

// explainDenied adds to a permission error of the schema files why the
// right is missing.
func explainDenied(err error) error {
	var pgErr *pgconn.PgError
	var src *sqlfile.SourceError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" && errors.As(err, &src) {
		src.Msg += " (schema files are loaded as a role without superuser or other rights"
		if strings.Contains(strings.ToLower(src.Msg), "cast") {
			src.Msg += ": a cast is created only by the owner of its source or target type, so one of them must " +
				"be a type the schema files create, and WITHOUT FUNCTION needs a superuser; casts between " +
				"built-in types are not managed"
		}
		src.Msg += ")"
	}
	if errors.As(err, &pgErr) && pgErr.Code == "55000" && strings.HasSuffix(pgErr.Message, " has no handler") && errors.As(err, &src) {
		// "foreign-data wrapper ... has no handler": see
		// openForeignDataWrappers.
		src.Msg += " (foreign tables cannot be read, written or imported while the schema files load: no query may reach another server or a file)"
	}
	return err
}

type txExecer struct{ tx pgx.Tx }

func (e txExecer) Exec(ctx context.Context, sql string) error {
	_, err := e.tx.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	return err
}

// Plan computes the ordered changes from one catalog to another.
func Plan(from, to *schema.Catalog) (emit.Plan, error) {
	return PlanWith(from, to, diff.Options{})
}

// PlanWith is Plan with diff options.
func PlanWith(from, to *schema.Catalog, opts diff.Options) (emit.Plan, error) {
	return PlanWithContext(context.Background(), from, to, opts)
}

// PlanWithContext is PlanWith timing its diff and order phases into the
// phase recorder of ctx, if any.
func PlanWithContext(ctx context.Context, from, to *schema.Catalog, opts diff.Options) (emit.Plan, error) {
	endDiff := phase.Start(ctx, "diff")
	changes, err := diff.DiffWith(from, to, opts)
	endDiff()
	if err != nil {
		return emit.Plan{}, fmt.Errorf("comparing schemas: %w", err)
	}
	defer phase.Start(ctx, "order")()
	ordered, err := dag.Order(changes)
	if err != nil {
		return emit.Plan{}, fmt.Errorf("ordering changes: %w", err)
	}
	return emit.Plan{Changes: ordered}, nil
}

// Unsupported lists, once each and sorted, the objects of either catalog
// that schemadiff does not manage yet.
func Unsupported(cats ...*schema.Catalog) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cats {
		for _, id := range c.Unsupported {
			s := id.String()
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Baseline returns the part of cat that every new database already has (the
// public schema and the plpgsql extension), so that planning from it
// recreates everything else.
func Baseline(cat *schema.Catalog) *schema.Catalog {
	b := schema.NewCatalog()
	if s, ok := cat.Schemas["public"]; ok {
		b.Schemas["public"] = s
	}
	if e, ok := cat.Extensions["plpgsql"]; ok {
		b.Extensions["plpgsql"] = e
	}
	return b
}

// Roles lists the roles of the server at url that schema files may grant
// to (not PostgreSQL's own pg_* roles).
func Roles(ctx context.Context, url string) ([]string, error) {
	roles, _, err := RolesAndUser(ctx, url)
	return roles, err
}

// RolesAndUser lists the roles of the server at url, as Roles does, and
// returns the role the connection runs as (the catalog's CurrentUser),
// so that the desired schema can load as that role while the catalog is
// read.
func RolesAndUser(ctx context.Context, url string) ([]string, string, error) {
	conn, err := Connect(ctx, url)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var user string
	if err := conn.QueryRow(ctx, "SELECT current_user::text").Scan(&user); err != nil {
		return nil, "", fmt.Errorf("reading the current user: %w", err)
	}
	rows, err := conn.Query(ctx, "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' ORDER BY 1")
	if err != nil {
		return nil, "", fmt.Errorf("listing roles: %w", err)
	}
	roles, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, "", fmt.Errorf("listing roles: %w", err)
	}
	return roles, user, nil
}
