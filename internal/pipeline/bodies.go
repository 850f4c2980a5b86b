package pipeline

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema"
)

// checkBodiesSQL runs each user function's language validator again, now
// that the whole schema is loaded, and keeps the messages of the ones that
// fail in a temporary table. A body passes its check when it is created but
// can stop passing when something it uses changes later in the files (a
// view gains a column, say); the function can then only be created with
// check_function_bodies off.
// Settings the schema files made (a search_path, say) are reset first: a
// migration creates the functions with its own.
const checkBodiesSQL = `
RESET ALL;
CREATE TEMPORARY TABLE schemadiff_body_errors (fn oid, message text) ON COMMIT PRESERVE ROWS;
DO $check$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT p.oid, l.lanvalidator::regprocedure::text AS validator
		FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_language l ON l.oid = p.prolang
		JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE l.lanvalidator <> 0
		  AND l.lanname NOT IN ('c', 'internal')
		  AND p.prosqlbody IS NULL
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast%'
		  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
		                  WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
	LOOP
		BEGIN
			EXECUTE 'SELECT ' || regexp_replace(r.validator, '\(.*$', '') || '($1)' USING r.oid;
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO schemadiff_body_errors VALUES (r.oid, SQLERRM);
		END;
	END LOOP;
END
$check$`

const bodyErrorsSQL = `
SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), e.message
FROM schemadiff_body_errors e
JOIN pg_catalog.pg_proc p ON p.oid = e.fn
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace`

// markBodyErrors sets BodyError on the functions of cat (read from the
// database conn is connected to) whose bodies no longer pass their check.
// It writes a temporary table, so conn must be a scratch database's.
func markBodyErrors(ctx context.Context, conn *pgx.Conn, cat *schema.Catalog) error {
	var hasPLpgSQL bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_language WHERE lanname = 'plpgsql')`).Scan(&hasPLpgSQL); err != nil {
		return fmt.Errorf("checking function bodies: %w", err)
	}
	if !hasPLpgSQL {
		return nil // the schema dropped it; bodies stay as loaded
	}
	if _, err := conn.Exec(ctx, checkBodiesSQL, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("checking function bodies: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "DROP TABLE pg_temp.schemadiff_body_errors") //nolint:errcheck // temporary anyway
	rows, err := conn.Query(ctx, bodyErrorsSQL)
	if err != nil {
		return fmt.Errorf("checking function bodies: %w", err)
	}
	type key struct{ schema, name, args string }
	errs := map[key]string{}
	for rows.Next() {
		var k key
		var msg string
		if err := rows.Scan(&k.schema, &k.name, &k.args, &msg); err != nil {
			rows.Close()
			return fmt.Errorf("checking function bodies: %w", err)
		}
		errs[k] = msg
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("checking function bodies: %w", err)
	}
	for _, f := range cat.Functions {
		if msg, ok := errs[key{f.Schema, f.Name, f.IdentityArgs}]; ok {
			f.BodyError = msg
		}
	}
	return nil
}
