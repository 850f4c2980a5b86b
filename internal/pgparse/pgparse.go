// Package pgparse is the one place schemadiff hands SQL text to pg_query's
// parser, with a guard in front of it.
//
// pg_query (libpg_query, PostgreSQL's own grammar) turns the parse tree into
// a protobuf by recursing over it in C, on the stack of the calling thread,
// without checking the stack's depth. A tree deep enough overflows that
// stack and the process dies with SIGSEGV inside cgo, which no recover
// catches. Deep trees are easy to write: the grammar reads a chain of
// left-associative operators (1+1+...+1, a || b || ..., x::t::t..., a JOIN
// b JOIN ...) without limit, each operator one level deeper. Nesting that
// opens a level per token (parentheses, function calls, CASE, subqueries,
// NOT ...) is bounded by the grammar's own stack (about 10,000 entries, the
// "memory exhausted" error), which is still too deep for small thread
// stacks.
//
// Measured with pg_query_go v5.1.0 (PostgreSQL 16 grammar), Parse crashes
// at a chain of about 23,800 operators with an 8 MB thread stack (the
// default under ulimit -s 8192), about 5,900 with 2 MB (the thread stack
// glibc gives when the stack limit is unlimited) and about 2,950 with 1 MB:
// some 355 bytes of C stack per level. A nested subquery, JSON_OBJECT or
// aggregate with ORDER BY costs up to three such levels, a nested CASE
// two, a nested plain call or array one (see the costs in estimate.go).
// Nesting of PL/pgSQL blocks is cheaper (about 2,680 blocks crash with
// 512 kB) and bounded by the grammar to about 3,330.
//
// Every parse here first scans the text (pg_query's scanner is flat and
// safe at any size) and estimates from the tokens an upper bound of the
// depth of the tree (see estimate), refusing text over MaxDepth with a
// *DepthError rather than risking the process. Deparse, Normalize and
// Fingerprint recurse the same way (Deparse needs about 1.9 KB of stack per
// level, Normalize crashes at about 21,800 operators with 8 MB); schemadiff
// does not use them, and a test keeps every call of a tree-building
// pg_query function in this package. Scan, SplitWithScanner and
// SplitWithParser return no tree and are safe at any depth.
//
// It is the only package of the module that imports pg_query_go (a test
// checks it): the others use its functions (Parse, Deparse, Split,
// WalkMessages, RolesNamed, PlpgsqlParts, ...) and name the parse tree's
// node types and enum values through its aliases (see nodes.go).
package pgparse

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// MaxDepth bounds the estimated depth of a parse tree that is handed to
// pg_query. It is far above what schemas hold (a few dozen levels; the
// pg_dump text of a view concatenating 600 columns, a pair of parentheses
// and a cast per operator, estimates to about 600) and well below the
// crash: about 23,800 levels with the default 8 MB stack, 5,900 with the
// 2 MB glibc gives threads under an unlimited stack limit, 2,950 with 1 MB
// (every shape in the tests still parses at the bound with 768 kB). It
// also keeps trees under the protobuf decoder's limit of 10,000 nested
// messages in most shapes; past that limit pg_query_go returns an error.
const MaxDepth = 2000

// DepthError reports text whose parse tree could be too deep to parse
// safely.
type DepthError struct {
	// Offset is the byte offset in the text where the estimated depth
	// first exceeds the limit.
	Offset int
	// Limit is the bound that was exceeded.
	Limit int
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("expression nested too deeply to parse safely (more than %d levels of nesting or chained operators)", e.Limit)
}

// Check reports, as a *DepthError, SQL text whose parse tree could be too
// deep for pg_query. Text the scanner rejects passes: the parser rejects
// it too, before it builds any tree.
func Check(sql string) error {
	scan, err := pg_query.Scan(sql)
	if err != nil {
		return nil
	}
	return check(sql, scan.Tokens, modeSQL, MaxDepth)
}

// Parse is pg_query.Parse behind the depth guard.
func Parse(sql string) (*pg_query.ParseResult, error) {
	tree, _, err := ParseScanned(sql)
	return tree, err
}

// ParseScanned parses sql behind the depth guard and returns its tokens as
// well, read once for both; with a *DepthError the tokens are returned too,
// for locating it. A text the scanner rejects gets the parser's error,
// which has the position.
func ParseScanned(sql string) (*pg_query.ParseResult, *pg_query.ScanResult, error) {
	scan, err := pg_query.Scan(sql)
	if err != nil {
		// The parser stops at the same scanner error, before building any
		// tree, and its error carries the position.
		if _, perr := pg_query.Parse(sql); perr != nil {
			return nil, nil, perr
		}
		return nil, nil, err
	}
	if err := check(sql, scan.Tokens, modeSQL, MaxDepth); err != nil {
		return nil, scan, err
	}
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, nil, err
	}
	return tree, scan, nil
}

// ParsePlpgsql is pg_query.ParsePlPgSqlToJSON behind the depth guard:
// createFunction is a CREATE FUNCTION or PROCEDURE statement in LANGUAGE
// plpgsql. The statement is checked as SQL, then its body as PL/pgSQL
// (whose blocks, IF, LOOP and CASE statements nest). The expressions inside
// the body are kept as text in the result; whoever parses them goes through
// Parse.
func ParsePlpgsql(createFunction string) (string, error) {
	tree, err := Parse(createFunction)
	if err != nil {
		return "", err
	}
	for _, raw := range tree.Stmts {
		for _, o := range raw.Stmt.GetCreateFunctionStmt().GetOptions() {
			d := o.GetDefElem()
			if d.GetDefname() != "as" {
				continue
			}
			for _, item := range d.GetArg().GetList().GetItems() {
				if err := checkPlpgsql(item.GetString_().GetSval()); err != nil {
					return "", err
				}
			}
		}
	}
	return pg_query.ParsePlPgSqlToJSON(createFunction)
}

// checkPlpgsql checks a PL/pgSQL body. Its offsets are the body's.
func checkPlpgsql(body string) error {
	scan, err := pg_query.Scan(body)
	if err != nil {
		return nil // the PL/pgSQL parser stops at the same scanner error
	}
	return check(body, scan.Tokens, modePLpgSQL, MaxDepth)
}

// check returns a *DepthError when the estimated depth of toks exceeds
// limit.
func check(src string, toks []*pg_query.ScanToken, m mode, limit int) error {
	if at, over := estimate(src, toks, m, limit); over {
		return &DepthError{Offset: at, Limit: limit}
	}
	return nil
}

// Deparse is pg_query.Deparse, for trees that Parse built (and callers then
// edited) or that callers built themselves: both are as deep as text that
// passed the depth guard, or shallower.
func Deparse(tree *pg_query.ParseResult) (string, error) {
	return pg_query.Deparse(tree)
}

// Split splits SQL text into its statements with PostgreSQL's parser,
// which knows where a statement ends better than a scanner (CREATE RULE
// bodies, BEGIN ATOMIC). It builds no tree and is safe at any depth.
func Split(sql string) ([]string, error) {
	return pg_query.SplitWithParser(sql, true)
}
