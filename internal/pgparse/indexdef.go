package pgparse

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// IndexDef is a CREATE INDEX statement as pg_get_indexdef prints it, taken
// apart: names are unquoted; keys, storage parameters and the predicate
// keep the server's text.
type IndexDef struct {
	Unique bool
	Name   string
	// Schema and Table name the indexed relation.
	Schema, Table string
	// Only is set for ON ONLY (an index of a partitioned table).
	Only bool
	// Method is the access method, e.g. "btree".
	Method string
	// Keys are the key columns and expressions, each with its collation,
	// operator class and ordering, e.g. "lower(b) text_pattern_ops".
	Keys []string
	// Include are the INCLUDE columns.
	Include []string
	// NullsNotDistinct is NULLS NOT DISTINCT.
	NullsNotDistinct bool
	// With is what WITH (...) holds, e.g. "fillfactor='70'", or "".
	With string
	// Where is the predicate after WHERE, e.g. "(a > 0)", or "".
	Where string
}

// ParseIndexDef takes apart the text of pg_get_indexdef. The statement is
// parsed for its names and flags; the texts of the keys, the storage
// parameters and the predicate are cut out of def where the scanner finds
// them: the parenthesized list after USING method, the parentheses after
// WITH and what follows WHERE, outside any parentheses (a quoted name is
// one identifier token, whatever it spells).
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
		Table: x.Relation.GetRelname(), Only: !x.Relation.GetInh(), Method: x.AccessMethod,
		NullsNotDistinct: x.NullsNotDistinct}
	for _, p := range x.IndexIncludingParams {
		out.Include = append(out.Include, p.GetIndexElem().GetName())
	}
	toks := scan.Tokens
	using := -1
	for i, t := range toks {
		if t.Token == pg_query.Token_USING {
			using = i
			break
		}
	}
	// USING method ( keys )
	if using < 0 || using+2 >= len(toks) || toks[using+2].Token != pg_query.Token_ASCII_40 {
		return IndexDef{}, fmt.Errorf("index definition %q has no USING method (...) clause", def)
	}
	keys, next := parenthesized(def, toks, using+2)
	if next < 0 {
		return IndexDef{}, fmt.Errorf("index definition %q: unbalanced parentheses", def)
	}
	out.Keys = keys
	for i := next; i < len(toks); i++ {
		switch toks[i].Token {
		case pg_query.Token_WITH, pg_query.Token_WITH_LA:
			if i+1 >= len(toks) || toks[i+1].Token != pg_query.Token_ASCII_40 {
				return IndexDef{}, fmt.Errorf("index definition %q: WITH without (", def)
			}
			end := closing(toks, i+1)
			if end < 0 {
				return IndexDef{}, fmt.Errorf("index definition %q: unbalanced parentheses", def)
			}
			out.With = strings.TrimSpace(def[toks[i+1].End:toks[end].Start])
			i = end
		case pg_query.Token_WHERE:
			out.Where = strings.TrimSpace(def[toks[i].End:])
			return out, nil
		case pg_query.Token_ASCII_40:
			if i = closing(toks, i); i < 0 {
				return IndexDef{}, fmt.Errorf("index definition %q: unbalanced parentheses", def)
			}
		}
	}
	return out, nil
}

// parenthesized returns the comma-separated items of the list whose "("
// is toks[open], as text of sql, and the index of the token after its
// ")"; -1 when it is not closed.
func parenthesized(sql string, toks []*pg_query.ScanToken, open int) ([]string, int) {
	var items []string
	depth, start := 0, toks[open].End
	for i := open; i < len(toks); i++ {
		switch toks[i].Token {
		case pg_query.Token_ASCII_40:
			depth++
		case pg_query.Token_ASCII_41:
			depth--
			if depth == 0 {
				return append(items, strings.TrimSpace(sql[start:toks[i].Start])), i + 1
			}
		case pg_query.Token_ASCII_44:
			if depth == 1 {
				items = append(items, strings.TrimSpace(sql[start:toks[i].Start]))
				start = toks[i].End
			}
		}
	}
	return nil, -1
}

// closing returns the index of the ")" matching the "(" at toks[open], or
// -1.
func closing(toks []*pg_query.ScanToken, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch toks[i].Token {
		case pg_query.Token_ASCII_40:
			depth++
		case pg_query.Token_ASCII_41:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
