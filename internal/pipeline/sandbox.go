package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// privilege says who may run a statement of the schema files or of a plan.
type privilege int

const (
	// asLoader statements run as the loading role, without any right.
	asLoader privilege = iota
	// asAdminExtension is CREATE EXTENSION: it runs as the scratch
	// source's administrator, for an extension the server has installed.
	asAdminExtension
	// asAdmin statements need superuser rights but run nothing written in
	// the files: event triggers (which only a superuser may own) and
	// comments on the objects the administrator owns.
	asAdmin
	// asAdminLeakproof is ALTER FUNCTION ... LEAKPROOF, which only a
	// superuser may run: the administrator marks the loading role's
	// function (see markLeakproof).
	asAdminLeakproof
)

// networkExtensions open connections to other servers; nobody but the
// administrator may call their functions in a scratch database.
var networkExtensions = []string{"dblink", "postgres_fdw"}

// classify reads a single statement and says who runs it and, for CREATE
// EXTENSION, which extension it creates (for ALTER FUNCTION ... LEAKPROOF,
// which function).
func classify(sql string) (privilege, string) {
	// Only statements naming an extension, an event trigger or LEAKPROOF
	// can leave the loading role: skip parsing every other statement a
	// second time.
	if lower := strings.ToLower(sql); !strings.Contains(lower, "extension") && !strings.Contains(lower, "event") && !strings.Contains(lower, "leakproof") {
		return asLoader, ""
	}
	tree, err := pgparse.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return asLoader, "" // the server reports what is wrong with it
	}
	n := tree.Stmts[0].Stmt
	switch {
	case n.GetCreateExtensionStmt() != nil:
		return asAdminExtension, n.GetCreateExtensionStmt().Extname
	case n.GetCreateEventTrigStmt() != nil, n.GetAlterEventTrigStmt() != nil:
		return asAdmin, ""
	case n.GetAlterFunctionStmt() != nil:
		if sig, ok := leakproofSignature(n); ok {
			return asAdminLeakproof, sig
		}
	case n.GetCommentStmt() != nil:
		switch n.GetCommentStmt().Objtype {
		case pgparse.ObjectType_OBJECT_EXTENSION, pgparse.ObjectType_OBJECT_EVENT_TRIGGER:
			return asAdmin, ""
		}
	}
	return asLoader, ""
}

// sandbox holds the connections to a scratch database for SQL that is not
// trusted: loader, as a role without rights that owns the database, runs
// everything but the few statements classify sends to admin.
type sandbox struct {
	scratch *pgserver.Scratch
	sb      *pgserver.Sandbox
	loader  *pgx.Conn
	admin   *pgx.Conn // opened on first use
}

// openSandbox creates a scratch database loaded as role (see
// pgserver.Scratch.NewSandbox) and connects to it.
func openSandbox(ctx context.Context, scratch *pgserver.Scratch, role string) (*sandbox, error) {
	sb, err := scratch.NewSandbox(ctx, role)
	if err != nil {
		return nil, err
	}
	conn, err := Connect(ctx, sb.URL)
	if err != nil {
		scratch.DropSandbox(context.WithoutCancel(ctx), sb) //nolint:errcheck // failure path
		return nil, err
	}
	return &sandbox{scratch: scratch, sb: sb, loader: conn}, nil
}

// close closes the connections and drops the database.
func (s *sandbox) close(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	s.loader.Close(ctx)
	if s.admin != nil {
		s.admin.Close(ctx)
	}
	s.scratch.DropSandbox(ctx, s.sb) //nolint:errcheck // best effort; Close drops it too
}

// adminConn connects as the administrator, in a session where event
// triggers the files created do not fire (session_replication_role =
// replica), so that their functions never run with its rights.
func (s *sandbox) adminConn(ctx context.Context) (*pgx.Conn, error) {
	if s.admin != nil {
		return s.admin, nil
	}
	conn, err := Connect(ctx, s.sb.AdminURL)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "SET session_replication_role = replica"); err != nil {
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			conn.Close(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("preparing the administrator session: %w", err)
		}
		// Not a superuser (dev server): it cannot create event triggers.
	}
	s.admin = conn
	return conn, nil
}

// runAdmin runs a statement that classify sent to the administrator. Its
// own queries name every operator by schema: the loading role may have
// created look-alikes in public.
func (s *sandbox) runAdmin(ctx context.Context, sql string, p privilege, ext string) error {
	conn, err := s.adminConn(ctx)
	if err != nil {
		return err
	}
	var always []string
	rows, err := conn.Query(ctx, "SELECT evtname::text FROM pg_catalog.pg_event_trigger WHERE evtenabled OPERATOR(pg_catalog.=) 'A' ORDER BY 1")
	if err == nil {
		always, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return fmt.Errorf("listing event triggers: %w", err)
	}
	if len(always) > 0 {
		return fmt.Errorf("event trigger %s is ENABLE ALWAYS: it would run its function with superuser rights; schemadiff does not run CREATE EXTENSION or event trigger statements after it", strings.Join(always, ", "))
	}
	if p == asAdminLeakproof {
		return s.markLeakproof(ctx, ext)
	}
	if p == asAdminExtension {
		var available bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_catalog.pg_available_extensions WHERE name OPERATOR(pg_catalog.=) $1::pg_catalog.name)", ext).Scan(&available); err != nil {
			return fmt.Errorf("listing available extensions: %w", err)
		}
		if !available {
			return fmt.Errorf("extension %q is not installed on the scratch server (pg_available_extensions)", ext)
		}
	}
	if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		return err
	}
	if p == asAdminExtension {
		if err := s.closeNetworkExtensions(ctx, conn); err != nil {
			return err
		}
		return s.openForeignDataWrappers(ctx, conn)
	}
	return nil
}

// readingWrappers are the foreign-data wrappers whose validator refuses a
// role without rights to read files or run programs (file_fdw's filename
// and program options): the scratch database drops the validator so that
// the loading role can declare such foreign tables, which it can never
// read (see openForeignDataWrappers).
var readingWrappers = []string{"file_fdw"}

// openForeignDataWrappers lets the loading role declare servers and
// foreign tables on the foreign-data wrappers of extensions (CREATE SERVER
// needs USAGE on the wrapper) while making every foreign table of the
// scratch database unreadable: each wrapper loses its handler, without
// which PostgreSQL refuses to scan, modify, analyze or import through it,
// so no query of the schema files ever connects to another server or reads
// a file. Extension members are not introspected, so plans do not see it.
func (s *sandbox) openForeignDataWrappers(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, `SELECT w.fdwname::text
		FROM pg_catalog.pg_foreign_data_wrapper w
		WHERE EXISTS (SELECT FROM pg_catalog.pg_depend d
			WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass
				AND d.objid OPERATOR(pg_catalog.=) w.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')
			AND NOT pg_catalog.has_foreign_data_wrapper_privilege($1::pg_catalog.text, w.oid, 'USAGE')
		ORDER BY 1`, s.sb.Role)
	if err != nil {
		return fmt.Errorf("listing foreign-data wrappers: %w", err)
	}
	wrappers, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("listing foreign-data wrappers: %w", err)
	}
	for _, w := range wrappers {
		fdw := pgx.Identifier{w}.Sanitize()
		alter := "ALTER FOREIGN DATA WRAPPER " + fdw + " NO HANDLER"
		if slices.Contains(readingWrappers, w) {
			alter += " NO VALIDATOR"
		}
		if _, err := conn.Exec(ctx, alter); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "42501" {
				// Not a superuser (dev server): the wrapper keeps its
				// handler, so the loading role gets no USAGE on it.
				continue
			}
			return fmt.Errorf("removing the handler of foreign-data wrapper %s: %w", w, err)
		}
		if _, err := conn.Exec(ctx, "GRANT USAGE ON FOREIGN DATA WRAPPER "+fdw+" TO "+pgx.Identifier{s.sb.Role}.Sanitize()); err != nil {
			return fmt.Errorf("granting foreign-data wrapper %s to the loading role: %w", w, err)
		}
	}
	return nil
}

// closeNetworkExtensions revokes from PUBLIC the functions of the
// extensions that connect to other servers, so that the loading role cannot
// use them. Introspection leaves extension members out, so plans do not
// see it.
func (s *sandbox) closeNetworkExtensions(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, `SELECT p.oid::pg_catalog.regprocedure::text
		FROM pg_catalog.pg_depend d
		JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
		JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) d.objid
		WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
			AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
			AND d.deptype OPERATOR(pg_catalog.=) 'e' AND e.extname OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.name[])
		ORDER BY 1`, networkExtensions)
	if err != nil {
		return fmt.Errorf("listing the functions of %s: %w", strings.Join(networkExtensions, ", "), err)
	}
	funcs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("listing the functions of %s: %w", strings.Join(networkExtensions, ", "), err)
	}
	for _, f := range funcs {
		// regprocedure prints a quoted, qualified signature.
		if _, err := conn.Exec(ctx, "REVOKE EXECUTE ON FUNCTION "+f+" FROM PUBLIC"); err != nil {
			return fmt.Errorf("revoking %s from PUBLIC: %w", f, err)
		}
	}
	return nil
}

// load runs the statements of the schema files: runs of statements the
// loading role may run go in one transaction each, the others run on their
// own as the administrator. Errors name the statement's file and line.
// Spread, the statements run over two connections when parallelLevels
// allows it; a failure there is errParallel, and the caller loads them
// again, in order, into a new sandbox.
func (s *sandbox) load(ctx context.Context, stmts []sqlfile.Statement, how loadMode) error {
	sqlOf := func(st *sqlfile.Statement) *string { return &st.SQL }
	stmts = withOwnerRights(stmts, sqlOf, s.sb.Role)
	stmts, err := splitLeakproof(stmts, sqlOf)
	if err != nil {
		return err
	}
	if how != loadInOrder {
		if levels, ok := s.parallelLevels(stmts, how == loadSpreadAlways); ok {
			return s.loadParallel(ctx, stmts, levels)
		}
	}
	start := 0
	for i, st := range stmts {
		if why := unloadablePublication(st.SQL); why != "" {
			return &sqlfile.SourceError{File: st.File, Line: st.Line, Col: st.Col, Msg: describe(st) + ": " + why}
		}
		p, ext := classify(st.SQL)
		if p == asLoader {
			continue
		}
		if err := loadStatements(ctx, s.loader, stmts[start:i]); err != nil {
			return err
		}
		start = i + 1
		if err := s.runAdmin(ctx, st.SQL, p, ext); err != nil {
			return &sqlfile.SourceError{File: st.File, Line: st.Line, Col: st.Col,
				Msg: "running " + describe(st) + ": " + dbMessage(err), Err: err}
		}
	}
	return loadStatements(ctx, s.loader, stmts[start:])
}

// loadMode says whether a load may run over two connections.
type loadMode int

const (
	// loadInOrder runs the statements in order on one connection.
	loadInOrder loadMode = iota
	// loadSpread runs them over two connections when they are many
	// enough and loadLevels allows it.
	loadSpread
	// loadSpreadAlways is loadSpread however few they are (tests).
	loadSpreadAlways
)

// parallelLevels returns the levels of a load over two connections (see
// loadLevels), unless the statements are too few (and not always), or
// some must run as the administrator or on their own.
func (s *sandbox) parallelLevels(stmts []sqlfile.Statement, always bool) ([][]int, bool) {
	if len(stmts) < parallelMinStatements && !always {
		return nil, false // before working out the levels
	}
	for _, st := range stmts {
		if unloadablePublication(st.SQL) != "" {
			return nil, false
		}
		if p, _ := classify(st.SQL); p != asLoader {
			return nil, false
		}
	}
	levels, ok := loadLevels(stmts)
	return levels, ok && (always || worthSpreading(len(stmts), levels))
}

// loadParallel runs the statements level by level over the loading
// connection and a second one as the same role.
func (s *sandbox) loadParallel(ctx context.Context, stmts []sqlfile.Statement, levels [][]int) error {
	second, err := Connect(ctx, s.sb.URL)
	if err != nil {
		return fmt.Errorf("%w: %w", errParallel, err)
	}
	defer second.Close(context.WithoutCancel(ctx))
	if err := loadParallel(ctx, [2]*pgx.Conn{s.loader, second}, stmts, levels); err != nil {
		return err
	}
	s.scratch.Logf("loaded %d statements over two connections in %d steps", len(stmts), len(levels))
	return nil
}

func describe(st sqlfile.Statement) string {
	if st.Object != "" {
		return st.Object
	}
	return "statement"
}

// dbMessage is the server's message of err, or err itself.
func dbMessage(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	return err.Error()
}
