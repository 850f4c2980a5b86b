package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// Only a superuser may mark a function LEAKPROOF. The mark runs nothing:
// it lets the planner push the function below security barriers. So a
// CREATE FUNCTION ... LEAKPROOF of the schema files (or of a plan) runs as
// the loading role without the mark, and the administrator then marks the
// function the loading role created, found by its signature as the loading
// role resolves it (see sandbox.markLeakproof).

// leakproofPrefix and leakproofSuffix frame the signature in the ALTER
// statements splitLeakproof makes.
const (
	leakproofPrefix = "ALTER FUNCTION "
	leakproofSuffix = " LEAKPROOF"
)

// splitLeakproof returns stmts where each CREATE FUNCTION marked LEAKPROOF
// is followed by an ALTER FUNCTION ... LEAKPROOF and has lost the mark;
// other statements are kept as they are (stmts itself when none changes).
func splitLeakproof[T any](stmts []T, sqlOf func(*T) *string) ([]T, error) {
	var out []T
	for i := range stmts {
		create, alter, ok, err := leakproofParts(*sqlOf(&stmts[i]))
		if err != nil {
			return nil, err
		}
		if !ok {
			if out != nil {
				out = append(out, stmts[i])
			}
			continue
		}
		if out == nil {
			out = append(make([]T, 0, len(stmts)+1), stmts[:i]...)
		}
		first, second := stmts[i], stmts[i]
		*sqlOf(&first), *sqlOf(&second) = create, alter
		out = append(out, first, second)
	}
	if out == nil {
		return stmts, nil
	}
	return out, nil
}

// leakproofParts splits a CREATE FUNCTION marked LEAKPROOF into the same
// statement without the mark and the ALTER FUNCTION that marks it; ok is
// false for any other statement.
func leakproofParts(sql string) (create, alter string, ok bool, err error) {
	if !strings.Contains(strings.ToLower(sql), "leakproof") {
		return "", "", false, nil
	}
	return pgparse.SplitLeakproof(sql)
}

// leakproofSignature returns the function signature of an ALTER FUNCTION
// whose only action is LEAKPROOF (true), as text regprocedure reads.
func leakproofSignature(n *pgparse.Node) (string, bool) {
	text, ok := pgparse.LeakproofTypesOnly(n)
	if !ok || !strings.HasPrefix(text, leakproofPrefix) || !strings.HasSuffix(text, leakproofSuffix) {
		return "", false
	}
	return strings.TrimSuffix(strings.TrimPrefix(text, leakproofPrefix), leakproofSuffix), true
}

// markLeakproof marks LEAKPROOF, as the administrator, the function that
// signature names for the loading role. Only functions the loading role
// owns are marked.
func (s *sandbox) markLeakproof(ctx context.Context, signature string) error {
	var oid uint32
	if err := s.loader.QueryRow(ctx, "SELECT $1::pg_catalog.regprocedure::pg_catalog.oid", signature).Scan(&oid); err != nil {
		return fmt.Errorf("finding function %s: %w", signature, err)
	}
	conn, err := s.adminConn(ctx)
	if err != nil {
		return err
	}
	var target string
	err = conn.QueryRow(ctx, `SELECT pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid))
		FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
		WHERE p.oid OPERATOR(pg_catalog.=) $1::pg_catalog.oid AND p.proowner OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $2::pg_catalog.name)`,
		oid, s.sb.Role).Scan(&target)
	if err != nil {
		return fmt.Errorf("function %s is not the loading role's (only functions the schema files create may be marked LEAKPROOF): %w", signature, err)
	}
	if _, err := conn.Exec(ctx, leakproofPrefix+target+leakproofSuffix); err != nil {
		return fmt.Errorf("marking function %s LEAKPROOF: %w", signature, err)
	}
	return nil
}
