package pgparse

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// IndexDef is a CREATE INDEX statement as pg_get_indexdef prints it, taken
// apart: the names are unquoted, and Body keeps the server's text of
// everything after the access method.
type IndexDef struct {
	Unique bool
	Name   string
	// Schema and Table name the indexed relation.
	Schema, Table string
	// Only is set for ON ONLY (an index of a partitioned table).
	Only bool
	// Method is the access method, e.g. "btree".
	Method string
	// Body is the text after USING method: the keys with their
	// collations, operator classes and orderings, then INCLUDE, NULLS NOT
	// DISTINCT, WITH, TABLESPACE and WHERE as printed, e.g. "(a, lower(b))
	// WHERE (c > 0)".
	Body string
}

// ParseIndexDef takes apart the text of pg_get_indexdef. The statement is
// parsed for its names and flags; the body is the text after the USING
// token that names the access method, located by the scanner (a quoted
// relation name holding the word USING is one identifier token).
func ParseIndexDef(def string) (IndexDef, error) {
	tree, scan, err := ParseScanned(def)
	if err != nil {
		return IndexDef{}, fmt.Errorf("parsing index definition %q: %w", def, err)
	}
	if len(tree.Stmts) != 1 || tree.Stmts[0].Stmt.GetIndexStmt() == nil {
		return IndexDef{}, fmt.Errorf("index definition %q is not one CREATE INDEX statement", def)
	}
	x := tree.Stmts[0].Stmt.GetIndexStmt()
	out := IndexDef{Unique: x.Unique, Name: x.Idxname, Schema: x.Relation.GetSchemaname(),
		Table: x.Relation.GetRelname(), Only: !x.Relation.GetInh(), Method: x.AccessMethod}
	toks := scan.Tokens
	for i, t := range toks {
		if t.Token == pg_query.Token_USING && i+1 < len(toks) {
			out.Body = strings.TrimSpace(def[toks[i+1].End:])
			return out, nil
		}
	}
	return IndexDef{}, fmt.Errorf("index definition %q has no USING clause", def)
}
