package sqlfile

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// The conversion directives' keywords, after "schemadiff:". Go struct tags'
// using= and using-down= options are written as these directives too.
const (
	UsingDirective     = "using"
	UsingDownDirective = "using-down"
)

// isConversionDirective reports whether word is the keyword of a
// conversion hint.
func isConversionDirective(word string) bool {
	return strings.EqualFold(word, UsingDirective) || strings.EqualFold(word, UsingDownDirective)
}

// ConversionHints returns the conversion hints written in the statements
// of schema files, by column: the directives of SQL files, and those
// the using= and using-down= options of Go struct tags become. A directive that does not directly
// precede a column of CREATE TABLE or ALTER TABLE ... ADD, that has no
// expression or one that does not parse, or that is given twice for a
// column is a *SourceError at the directive.
func ConversionHints(stmts []Statement) (map[schema.ID]schema.Conversion, error) {
	out := map[schema.ID]schema.Conversion{}
	for _, s := range stmts {
		if !strings.Contains(strings.ToLower(s.SQL), "schemadiff:using") {
			continue
		}
		if err := statementConversions(s, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// statementConversions adds the conversion hints of one statement to out.
func statementConversions(s Statement, out map[schema.ID]schema.Conversion) error {
	tree, scan, err := pgparse.ParseScanned(s.SQL)
	if err != nil {
		return fmt.Errorf("%s:%d: reading conversion hints: %w", s.File, s.Line, err)
	}
	h := &hintFile{file: s.File, src: s.SQL, toks: scan.Tokens, targets: map[int]*hintTarget{}}
	for _, raw := range tree.Stmts {
		start, end := int(raw.StmtLocation), len(s.SQL)
		if raw.StmtLen > 0 {
			end = start + int(raw.StmtLen)
		}
		start, _ = tokenBounds(h.toks, start, end)
		h.collect(raw.Stmt, start, "public")
	}
	for i, tok := range h.toks {
		if tok.Token != pgparse.Token_SQL_COMMENT {
			continue
		}
		word, expr, ok := conversionDirective(s.SQL[tok.Start:tok.End])
		if !ok {
			continue
		}
		at := func(msg string) error { return statementError(s, int(tok.Start), msg) }
		if expr == "" {
			return at(fmt.Sprintf("schemadiff:%s needs the SQL expression that converts the column's values", word))
		}
		if _, err := pgparse.Parse("SELECT " + expr); err != nil {
			return at(fmt.Sprintf("schemadiff:%s: the expression %q does not parse: %v", word, expr, err))
		}
		t, msg := h.conversionTarget(i, word)
		if t == nil {
			return at(msg)
		}
		c := out[t.ID]
		field := &c.Using
		if word == UsingDownDirective {
			field = &c.UsingDown
		}
		if *field != "" {
			return at(fmt.Sprintf("second schemadiff:%s directive for %s", word, t.ID))
		}
		*field = expr
		if c.File == "" {
			c.File, c.Line = s.File, s.Line
			if strings.HasSuffix(s.File, ".sql") {
				c.Line += strings.Count(s.SQL[:tok.Start], "\n")
			}
		}
		out[t.ID] = c
	}
	return nil
}

// conversionDirective recognizes "-- schemadiff:using expr" and
// "-- schemadiff:using-down expr", returning the keyword (lower case) and
// the expression.
func conversionDirective(text string) (word, expr string, ok bool) {
	body := strings.TrimSpace(strings.TrimPrefix(text, "--"))
	rest, found := cutPrefixFold(body, "schemadiff:")
	if !found {
		return "", "", false
	}
	word, rest = splitWord(rest)
	if !isConversionDirective(word) {
		return "", "", false
	}
	return strings.ToLower(word), strings.TrimSpace(rest), true
}

// statementError is a *SourceError at byte offset off of statement s.
func statementError(s Statement, off int, msg string) error {
	line, col := lineCol(s.SQL, off)
	if line == 1 {
		col += s.Col - 1
	}
	return &SourceError{File: s.File, Line: s.Line + line - 1, Col: col, Msg: msg}
}

// conversionTarget returns the column the conversion directive at token
// i directly precedes, or nil and why not.
func (h *hintFile) conversionTarget(i int, word string) (*hintTarget, string) {
	var t *hintTarget
	if j := h.next(i); j >= 0 {
		t = h.targets[int(h.toks[j].Start)]
	}
	if t == nil || t.Kind != schema.KindColumn {
		return nil, fmt.Sprintf("schemadiff:%s must directly precede a column of CREATE TABLE or ALTER TABLE ... ADD", word)
	}
	return t, ""
}
