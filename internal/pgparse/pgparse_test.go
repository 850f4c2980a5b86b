package pgparse

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// shape builds a statement nesting or chaining n times.
type shape struct {
	name string
	sql  func(n int) string
	// crash is a size that crashes pg_query's Parse (with the default 8 MB
	// stack) or that its grammar refuses as too deep; the guard must turn
	// it into an error.
	crash int
}

func rep(s string, n int) string { return strings.Repeat(s, n) }

var shapes = []shape{
	{"plus chain", func(n int) string { return "SELECT 1" + rep("+1", n-1) }, 30000},
	{"concatenation", func(n int) string { return "SELECT 'a'" + rep(" || 'a'", n-1) }, 30000},
	{"json operators", func(n int) string { return "SELECT x" + rep("->'a'", n) + " FROM t" }, 30000},
	{"casts", func(n int) string { return "SELECT 1" + rep("::int", n) }, 30000},
	{"IS NULL chain", func(n int) string { return "SELECT 1" + rep(" IS NULL", n) }, 30000},
	{"COLLATE chain", func(n int) string { return "SELECT 'a'" + rep(` COLLATE "C"`, n) }, 30000},
	{"joins", func(n int) string { return "SELECT * FROM a" + rep(" JOIN a ON true", n) }, 30000},
	{"unions", func(n int) string { return "SELECT 1" + rep(" UNION SELECT 1", n) }, 60000},
	{"column default", func(n int) string { return "CREATE TABLE t (x int DEFAULT 1" + rep("+1", n-1) + ")" }, 30000},
	{"parentheses", func(n int) string { return "SELECT " + rep("(", n) + "1" + rep(")", n) }, 30000},
	{"parenthesised chain", func(n int) string { return "SELECT " + rep("(", n) + "1" + rep("+1)", n) }, 30000},
	{"function calls", func(n int) string { return "SELECT " + rep("f(", n) + "1" + rep(")", n) }, 30000},
	{"arrays", func(n int) string { return "SELECT " + rep("ARRAY[", n) + "1" + rep("]", n) }, 30000},
	{"CASE", func(n int) string { return "SELECT " + rep("CASE WHEN x THEN ", n) + "1" + rep(" END", n) }, 30000},
	{"NOT", func(n int) string { return "SELECT " + rep("NOT ", n) + "x" }, 30000},
	{"subqueries", func(n int) string { return rep("SELECT (", n) + "SELECT 1" + rep(")", n) }, 30000},
	{"FROM subqueries", func(n int) string { return rep("SELECT * FROM (", n) + "SELECT 1" + rep(") s", n) }, 30000},
	{"WITH", func(n int) string { return rep("WITH a AS (", n) + "SELECT 1" + rep(") SELECT 1", n) }, 30000},
	{"AND inside parentheses", func(n int) string { return "SELECT " + rep("(x AND ", n) + "x" + rep(")", n) }, 30000},
	{"EXISTS", func(n int) string { return rep("SELECT 1 WHERE EXISTS (", n) + "SELECT 1" + rep(")", n) }, 30000},
	{"IN subqueries", func(n int) string { return rep("SELECT x FROM t WHERE x IN (", n) + "SELECT 1" + rep(")", n) }, 30000},
	{"ANY arrays", func(n int) string { return "SELECT " + rep("x = ANY(ARRAY[", n) + "1" + rep("])", n) }, 30000},
	{"window functions", func(n int) string {
		return "SELECT " + rep("sum(", n) + "x" + rep(") OVER (ORDER BY x)", n) + " FROM t"
	}, 30000},
	{"FILTER clauses", func(n int) string {
		return "SELECT " + rep("count(*) FILTER (WHERE x > ", n) + "1" + rep(")", n) + " FROM t"
	}, 30000},
	{"CAST", func(n int) string { return "SELECT " + rep("CAST(", n) + "1" + rep(" AS int)", n) }, 30000},
	{"COALESCE", func(n int) string { return "SELECT " + rep("COALESCE(x, ", n) + "1" + rep(")", n) }, 30000},
	{"GREATEST", func(n int) string { return "SELECT " + rep("GREATEST(1, ", n) + "1" + rep(")", n) }, 30000},
	{"NULLIF", func(n int) string { return "SELECT " + rep("NULLIF(", n) + "1" + rep(", 2)", n) }, 30000},
	{"ROW", func(n int) string { return "SELECT " + rep("ROW(1, ", n) + "1" + rep(")", n) }, 30000},
	{"substring", func(n int) string { return "SELECT " + rep("substring(", n) + "'a'" + rep(" FROM 1 FOR 2)", n) }, 30000},
	{"IS DISTINCT FROM", func(n int) string { return "SELECT 1" + rep(" IS DISTINCT FROM 1", n) }, 30000},
	{"prefix operators", func(n int) string { return "SELECT " + rep("@ ", n) + "1" }, 30000},
	{"unary minus", func(n int) string { return "SELECT " + rep("- ", n) + "x" }, 30000},
	{"JSON_OBJECT", func(n int) string { return "SELECT " + rep("JSON_OBJECT('a' : ", n) + "1" + rep(")", n) }, 30000},
	{"JSON_ARRAY", func(n int) string { return "SELECT " + rep("JSON_ARRAY(", n) + "1" + rep(")", n) }, 30000},
	{"JSON_ARRAYAGG", func(n int) string { return "SELECT " + rep("JSON_ARRAYAGG(", n) + "1" + rep(")", n) }, 30000},
	{"XMLFOREST", func(n int) string { return "SELECT " + rep("XMLFOREST(", n) + "1" + rep(" AS a)", n) }, 30000},
	{"aggregates with ORDER BY", func(n int) string { return "SELECT " + rep("string_agg(x, ',' ORDER BY ", n) + "x" + rep(")", n) }, 30000},
	{"calls with COLLATE", func(n int) string { return "SELECT " + rep("lower(", n) + "'a'" + rep(` COLLATE "C")`, n) }, 30000},
	{"ARRAY subqueries", func(n int) string { return "SELECT " + rep("ARRAY(SELECT ", n) + "1" + rep(")", n) }, 30000},
	{"XMLELEMENT", func(n int) string { return "SELECT " + rep("XMLELEMENT(NAME a, ", n) + "1" + rep(")", n) }, 30000},
	{"LATERAL", func(n int) string { return "SELECT * FROM t" + rep(", LATERAL (SELECT * FROM t", n) + rep(") s", n) }, 30000},
	{"VALUES subqueries", func(n int) string { return rep("SELECT * FROM (VALUES ((", n) + "1" + rep("))) v", n) }, 30000},
}

// limitFor returns the smallest limit under which sql passes.
func limitFor(t *testing.T, sql string, m mode) int {
	t.Helper()
	scan, err := pg_query.Scan(sql)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := 0, 1<<20
	for lo < hi {
		mid := (lo + hi) / 2
		if _, over := estimate(sql, scan.Tokens, m, mid); over {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// largestAccepted returns the largest n whose statement passes Check.
func largestAccepted(t *testing.T, s shape) int {
	t.Helper()
	lo, hi := 1, s.crash
	if Check(s.sql(lo)) != nil {
		t.Fatalf("%s: refused at size 1", s.name)
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if Check(s.sql(mid)) == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// TestShapesJustUnderAndOverTheBound: for each shape, the largest size the
// guard accepts parses (pg_query neither crashes nor needs more than its
// limits), one more is refused with a *DepthError, and a size that crashes
// pg_query without the guard is an error.
func TestShapesJustUnderAndOverTheBound(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			n := largestAccepted(t, s)
			under, over := s.sql(n), s.sql(n+1)
			if _, err := Parse(under); err != nil && strings.Contains(err.Error(), "recursion") {
				t.Errorf("size %d (accepted): %v", n, err)
			}
			var de *DepthError
			if _, err := Parse(over); !errors.As(err, &de) {
				t.Errorf("size %d: got %v, want a *DepthError", n+1, err)
			}
			if _, err := Parse(s.sql(s.crash)); err == nil {
				t.Errorf("size %d: parsed without error", s.crash)
			}
			t.Logf("accepted up to %d (estimate %d)", n, limitFor(t, under, modeSQL))
		})
	}
}

// TestLargeFlatInputsPass: long lists are flat trees and pass however
// long they are.
func TestLargeFlatInputsPass(t *testing.T) {
	nums := make([]string, 5000)
	labels := make([]string, 10000)
	for i := range nums {
		nums[i] = strconv.Itoa(i)
	}
	for i := range labels {
		labels[i] = "'v" + strconv.Itoa(i) + "'"
	}
	var tables strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&tables, "CREATE TABLE t%d (id bigint PRIMARY KEY, a int NOT NULL DEFAULT 0 CHECK (a >= 0 AND a < 10), b text);\n", i)
	}
	conds := make([]string, 5000)
	for i := range conds {
		conds[i] = fmt.Sprintf("a <> %d", i)
	}
	arms := make([]string, 5000)
	for i := range arms {
		arms[i] = fmt.Sprintf("WHEN a = %d THEN 'x%d'", i, i)
	}
	for name, sql := range map[string]string{
		"IN list of 5000":            "SELECT 1 WHERE x IN (" + strings.Join(nums, ", ") + ")",
		"enum of 10000 labels":       "CREATE TYPE e AS ENUM (" + strings.Join(labels, ", ") + ")",
		"20000 tables":               tables.String(),
		"5000 ANDed conditions":      "CREATE VIEW v AS SELECT * FROM t WHERE " + strings.Join(conds, " AND "),
		"5000 CASE arms":             "CREATE VIEW v AS SELECT CASE " + strings.Join(arms, " ") + " END FROM t",
		"600 columns, pg_dump style": "CREATE VIEW v AS SELECT " + rep("(", 599) + "(t.c)::text" + rep(" || (t.c)::text)", 599) + " FROM t",
	} {
		if err := Check(sql); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestDepthErrorOffset: the error points into the expression, where the
// bound is first exceeded.
func TestDepthErrorOffset(t *testing.T) {
	sql := "CREATE TABLE a (id int);\nCREATE TABLE t (x int DEFAULT 1" + rep("+1", 30000) + ");\n"
	var de *DepthError
	if err := Check(sql); !errors.As(err, &de) {
		t.Fatalf("got %v, want a *DepthError", err)
	}
	if de.Offset < strings.Index(sql, "DEFAULT") || de.Offset > len(sql) {
		t.Errorf("offset %d is not inside the default", de.Offset)
	}
}

// TestScanErrorsAreParseErrors: text the scanner rejects gets the parser's
// error (with its position), deep or not, and no crash.
func TestScanErrorsAreParseErrors(t *testing.T) {
	for _, sql := range []string{
		"SELECT 'unterminated",
		"SELECT 1" + rep("+1", 30000) + " + 'unterminated",
	} {
		if _, err := Parse(sql); err == nil || !strings.Contains(err.Error(), "unterminated") {
			t.Errorf("%.40s: got %v", sql, err)
		}
	}
}

func plpgsqlFunction(body string) string {
	return "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$" + body + "$$"
}

// TestPlpgsqlBodies: the body of a PL/pgSQL function is checked as
// PL/pgSQL, its blocks nesting; ordinary bodies pass.
func TestPlpgsqlBodies(t *testing.T) {
	body := `
DECLARE
	r record;
BEGIN
	DROP TABLE IF EXISTS x;
	CREATE TABLE IF NOT EXISTS y (id int);
	IF NOT FOUND THEN
		RAISE NOTICE 'none';
	ELSIF 1 > 0 THEN
		LOOP
			EXIT;
		END LOOP;
	ELSE
		CASE 1 WHEN 1 THEN NULL; ELSE NULL; END CASE;
	END IF;
	FOR r IN SELECT 1 LOOP
		BEGIN
			PERFORM CASE WHEN true THEN 1 END;
		EXCEPTION WHEN others THEN
			NULL;
		END;
	END LOOP;
	RETURN 1;
END`
	if _, err := ParsePlpgsql(plpgsqlFunction(body)); err != nil {
		t.Fatalf("ordinary body: %v", err)
	}
	if d := limitFor(t, body, modePLpgSQL); d > 6 {
		t.Errorf("ordinary body estimated %d levels deep, want at most 6", d)
	}
	var de *DepthError
	for name, body := range map[string]string{
		"nested IF":     rep("IF true THEN ", 3300) + "RETURN 1;" + rep(" END IF;", 3300),
		"nested blocks": rep("BEGIN ", 3300) + "RETURN 1;" + rep(" END;", 3300),
		"nested loops":  rep("LOOP ", 3300) + "RETURN 1;" + rep(" END LOOP;", 3300),
	} {
		if _, err := ParsePlpgsql(plpgsqlFunction(body)); !errors.As(err, &de) {
			t.Errorf("%s: got %v, want a *DepthError", name, err)
		}
	}
	// A deep expression in a PL/pgSQL body is kept as text by the
	// PL/pgSQL parser; parsing it later goes through Parse.
	deep := plpgsqlFunction("BEGIN RETURN 1" + rep("+1", 30000) + "; END")
	if _, err := ParsePlpgsql(deep); !errors.As(err, &de) {
		t.Errorf("deep expression in a body: got %v, want a *DepthError", err)
	}
}

// TestNoUnguardedParserCalls: the module calls pg_query's tree-building
// functions only through this package.
func TestNoUnguardedParserCalls(t *testing.T) {
	checkNoUnguardedCalls(t)
}
