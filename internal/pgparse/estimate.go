package pgparse

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// mode tells how to read the tokens.
type mode int

const (
	// modeSQL reads SQL statements.
	modeSQL mode = iota
	// modePLpgSQL reads a PL/pgSQL body, whose BEGIN, IF, LOOP and CASE
	// statements nest until their END.
	modePLpgSQL
)

// Costs of one level of nesting, in the unit of one chained operator
// (measured as C stack at the crash, with 1 MB of stack: 2,955 chained
// operators, 983 nested subqueries, 1,179 JSON_OBJECT, 1,478 CASE, 1,477
// aggregates with ORDER BY, 2,951 function calls; parentheses that only
// group add no node).
const (
	costGroup    = 1 // grouping parentheses, brackets
	costCall     = 3 // a function call or a keyword's construct: JSON_OBJECT(, CAST(, OVER (
	costSubquery = 3
	costCase     = 2
	costBlock    = 1
)

type frameKind int

const (
	frameRoot frameKind = iota
	frameParen
	frameBlock // CASE ... END, and PL/pgSQL blocks
)

// frame is one open level: its cost, and the operators met in its current
// list element (a chain of them nests the tree one level each).
type frame struct {
	kind      frameKind
	cost, ops int
}

// estimate walks toks keeping an upper bound of the parse tree's depth:
// the sum, over the open parentheses, brackets and CASE (or PL/pgSQL
// blocks), of their cost plus the operators met in their current element.
// An element ends at a comma, a semicolon, AND and OR (the grammar gathers
// a chain of them into one node) and WHEN, THEN, ELSE; a list of elements
// is flat, however long. It returns the offset where the bound first
// exceeds limit.
func estimate(src string, toks []*pg_query.ScanToken, m mode, limit int) (offset int, over bool) {
	sig := significant(toks)
	stack := []frame{{kind: frameRoot}}
	depth := 0
	push := func(k frameKind, cost int) {
		stack = append(stack, frame{kind: k, cost: cost})
		depth += cost
	}
	pop := func() {
		top := stack[len(stack)-1]
		depth -= top.cost + top.ops
		stack = stack[:len(stack)-1]
	}
	for i := 0; i < len(sig); i++ {
		t := sig[i]
		top := &stack[len(stack)-1]
		switch {
		case t.Token == pg_query.Token_ASCII_40 || t.Token == pg_query.Token_ASCII_91: // ( [
			push(frameParen, parenCost(sig, i))
		case t.Token == pg_query.Token_ASCII_41 || t.Token == pg_query.Token_ASCII_93: // ) ]
			for len(stack) > 1 {
				k := stack[len(stack)-1].kind
				pop()
				if k == frameParen {
					break
				}
			}
		case t.Token == pg_query.Token_CASE:
			push(frameBlock, costCase)
		case m == modePLpgSQL && opensBlock(src, sig, i):
			push(frameBlock, costBlock)
		case t.Token == pg_query.Token_END_P:
			if top.kind == frameBlock {
				pop()
			}
			if m == modePLpgSQL && i+1 < len(sig) && closesBlock(src, sig[i+1]) {
				i++ // END IF, END LOOP, END CASE
			}
		case separates(t.Token):
			depth -= top.ops
			top.ops = 0
		case chains(t.Token):
			top.ops++
			depth++
		}
		if depth > limit {
			return int(t.Start), true
		}
	}
	return 0, false
}

// significant leaves out comments.
func significant(toks []*pg_query.ScanToken) []*pg_query.ScanToken {
	out := make([]*pg_query.ScanToken, 0, len(toks))
	for _, t := range toks {
		if t.Token != pg_query.Token_SQL_COMMENT && t.Token != pg_query.Token_C_COMMENT {
			out = append(out, t)
		}
	}
	return out
}

// parenCost is the cost of the level the parenthesis or bracket sig[i]
// opens: a subquery's, a call's when a name or keyword comes before (f(,
// JSON_OBJECT(, OVER (), or else a grouping's.
func parenCost(sig []*pg_query.ScanToken, i int) int {
	if sig[i].Token != pg_query.Token_ASCII_40 {
		return costGroup
	}
	if i+1 < len(sig) && startsQuery(sig[i+1]) {
		return costSubquery
	}
	if i == 0 {
		return costGroup
	}
	switch p := sig[i-1].Token; {
	case p == pg_query.Token_ASCII_40, p == pg_query.Token_ASCII_91, chains(p), separates(p), groupsAfter(p):
		return costGroup
	}
	return costCall
}

// groupsAfter reports whether a parenthesis after the keyword tok only
// groups (or opens a subquery, which parenCost sees from the next token).
func groupsAfter(tok pg_query.Token) bool {
	switch tok {
	case pg_query.Token_SELECT, pg_query.Token_WHERE, pg_query.Token_HAVING, pg_query.Token_ON,
		pg_query.Token_AS, pg_query.Token_RETURN, pg_query.Token_DEFAULT, pg_query.Token_CHECK,
		pg_query.Token_BY, pg_query.Token_FROM, pg_query.Token_USING, pg_query.Token_JOIN,
		pg_query.Token_DISTINCT, pg_query.Token_VALUES, pg_query.Token_ASCII_44:
		return true
	}
	return false
}

// startsQuery reports whether a parenthesis followed by t opens a
// subquery.
func startsQuery(t *pg_query.ScanToken) bool {
	switch t.Token {
	case pg_query.Token_SELECT, pg_query.Token_WITH, pg_query.Token_VALUES, pg_query.Token_TABLE:
		return true
	}
	return false
}

// separates reports whether tok ends an element of a flat list.
func separates(tok pg_query.Token) bool {
	switch tok {
	case pg_query.Token_ASCII_44, pg_query.Token_ASCII_59, // , ;
		pg_query.Token_AND, pg_query.Token_OR,
		pg_query.Token_WHEN, pg_query.Token_THEN, pg_query.Token_ELSE:
		return true
	}
	return false
}

// chains reports whether tok is an operator, or a keyword acting as one,
// that a chain can repeat, each adding a level to the tree: arithmetic,
// comparison and user operators, casts, COLLATE, IS, NOT, LIKE, IN,
// BETWEEN, AT TIME ZONE, set operations and joins.
func chains(tok pg_query.Token) bool {
	switch tok {
	case pg_query.Token_ASCII_43, pg_query.Token_ASCII_45, pg_query.Token_ASCII_42, // + - *
		pg_query.Token_ASCII_47, pg_query.Token_ASCII_37, pg_query.Token_ASCII_94, // / % ^
		pg_query.Token_ASCII_60, pg_query.Token_ASCII_62, pg_query.Token_ASCII_61, // < > =
		pg_query.Token_Op, pg_query.Token_TYPECAST, pg_query.Token_LESS_EQUALS,
		pg_query.Token_GREATER_EQUALS, pg_query.Token_NOT_EQUALS,
		pg_query.Token_NOT, pg_query.Token_NOT_LA, pg_query.Token_IS, pg_query.Token_ISNULL,
		pg_query.Token_NOTNULL, pg_query.Token_COLLATE, pg_query.Token_AT,
		pg_query.Token_LIKE, pg_query.Token_ILIKE, pg_query.Token_SIMILAR,
		pg_query.Token_BETWEEN, pg_query.Token_IN_P, pg_query.Token_OPERATOR,
		pg_query.Token_OVERLAPS, pg_query.Token_UNION, pg_query.Token_INTERSECT,
		pg_query.Token_EXCEPT, pg_query.Token_JOIN:
		return true
	}
	return false
}

// opensBlock reports whether sig[i] opens a PL/pgSQL block or statement
// that END closes: BEGIN, LOOP, CASE (counted with SQL's), and IF where a
// statement starts (not DROP ... IF EXISTS inside a query).
func opensBlock(src string, sig []*pg_query.ScanToken, i int) bool {
	switch sig[i].Token {
	case pg_query.Token_BEGIN_P:
		return true
	case pg_query.Token_IDENT:
		return isWord(src, sig[i], "loop")
	case pg_query.Token_IF_P:
		if i == 0 {
			return true
		}
		switch p := sig[i-1]; p.Token {
		case pg_query.Token_ASCII_59, pg_query.Token_BEGIN_P, pg_query.Token_THEN,
			pg_query.Token_ELSE, pg_query.Token_DECLARE:
			return true
		case pg_query.Token_IDENT:
			return isWord(src, p, "loop")
		case pg_query.Token_Op:
			return true // after a <<label>>
		}
	}
	return false
}

// closesBlock reports whether t is the word after END that names what it
// closes.
func closesBlock(src string, t *pg_query.ScanToken) bool {
	return t.Token == pg_query.Token_IF_P || t.Token == pg_query.Token_CASE ||
		t.Token == pg_query.Token_IDENT && isWord(src, t, "loop")
}

// isWord reports whether the identifier token t of src is the unquoted
// word w.
func isWord(src string, t *pg_query.ScanToken, w string) bool {
	return int(t.End) <= len(src) && strings.EqualFold(src[t.Start:t.End], w)
}
