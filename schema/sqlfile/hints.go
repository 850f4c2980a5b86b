package sqlfile

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// renameDirective is the directive's keyword, after "schemadiff:".
const renameDirective = "renamed-from"

// renameTargets lists what a directive may precede, for messages.
const renameTargets = "CREATE TABLE, CREATE INDEX, CREATE TYPE ... AS ENUM, CREATE SEQUENCE, " +
	"CREATE VIEW, CREATE MATERIALIZED VIEW, CREATE SCHEMA, a column or named constraint " +
	"of CREATE TABLE or ALTER TABLE ... ADD, or an enum label"

// ReadRenames returns the rename hints of the schema files at path, found
// as Read finds them, in file order.
//
// A directive applies to what its next token (skipping blank lines and
// other comments) begins. A directive that is not directly followed by
// something renameable (e.g. before a GRANT, or at the end of a file), that
// is not on a line of its own, or that is malformed (missing name, two
// names, unknown schemadiff: directive) is a *SourceError at the directive.
// So are two directives for the same object, an object renamed from its
// own name, and two objects renamed from the same old name.
func ReadRenames(path string) ([]schema.Rename, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading schema files: %w", err)
	}
	files := []string{path}
	if info.IsDir() {
		if files, err = Files(path); err != nil {
			return nil, err
		}
	}
	var out []schema.Rename
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading schema file: %w", err)
		}
		r, err := fileRenames(f, string(src))
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	if err := schema.CheckRenames(out); err != nil {
		return nil, err
	}
	return out, nil
}

// hintTarget is something a directive may precede: the object it names
// and, when it cannot be renamed, why.
type hintTarget struct {
	schema.ID
	problem string
}

func newTarget(kind schema.Kind, schemaName, table, name string) *hintTarget {
	return &hintTarget{ID: schema.ID{Kind: kind, Schema: schemaName, Table: table, Name: name}}
}

// hintFile finds the rename directives of one file.
type hintFile struct {
	file, src string
	toks      []*pgparse.ScanToken
	// targets maps the byte offset of a token to what a directive right
	// before that token renames.
	targets map[int]*hintTarget
}

// fileRenames returns the rename hints of one file.
func fileRenames(file, src string) ([]schema.Rename, error) {
	if !mayHoldHints(src) {
		return nil, nil
	}
	// Report whatever makes the file unreadable as Read does.
	if _, err := Parse(file, src); err != nil {
		return nil, err
	}
	src = strings.TrimPrefix(src, "\ufeff")
	tree, scan, err := pgparse.ParseScanned(src)
	if err != nil {
		return nil, syntaxError(file, src, err)
	}
	h := &hintFile{file: file, src: src, toks: scan.Tokens, targets: map[int]*hintTarget{}}
	for _, raw := range tree.Stmts {
		start, end := int(raw.StmtLocation), len(src)
		if raw.StmtLen > 0 {
			end = start + int(raw.StmtLen)
		}
		start, _ = tokenBounds(h.toks, start, end)
		h.collect(raw.Stmt, start, "public")
	}
	return h.directives()
}

// directives reads every directive of the file and resolves its target.
func (h *hintFile) directives() ([]schema.Rename, error) {
	var out []schema.Rename
	used := map[*hintTarget]int{}
	for i, tok := range h.toks {
		text := h.src[tok.Start:tok.End]
		if tok.Token == pgparse.Token_C_COMMENT {
			if strings.Contains(strings.ToLower(text), "schemadiff:"+renameDirective) {
				return nil, h.errorAt(int(tok.Start), "schemadiff: directives are written as -- comments on a line of their own")
			}
			continue
		}
		if tok.Token != pgparse.Token_SQL_COMMENT {
			continue
		}
		if word, _, ok := conversionDirective(text); ok {
			// Read by ConversionHints, from the statement's text; checked
			// here too, where a directive outside any statement is seen.
			if t, msg := h.conversionTarget(i, word); t == nil {
				return nil, h.errorAt(int(tok.Start), msg)
			}
			continue
		}
		var t *hintTarget
		arg, ok, err := h.directiveArg(int(tok.Start), text)
		if err != nil {
			return nil, err
		}
		if ok {
			if t, err = h.targetAfter(i); err != nil {
				return nil, err
			}
		} else if arg, ok, err = h.sqldefArg(int(tok.Start), text); err != nil {
			return nil, err
		} else if ok {
			if t, err = h.targetBefore(int(tok.Start)); err != nil {
				return nil, err
			}
		} else {
			continue
		}
		line, _ := lineCol(h.src, int(tok.Start))
		if first, dup := used[t]; dup {
			return nil, h.errorAt(int(tok.Start), fmt.Sprintf("second renamed-from directive for %s (the first is at line %d)", t, first))
		}
		used[t] = line
		fromSchema, from, err := arg.qualifiedName(t.Kind)
		if err != nil {
			return nil, h.errorAt(int(tok.Start), err.Error())
		}
		if fromSchema == t.Schema {
			fromSchema = ""
		}
		if from == t.Name && fromSchema == "" {
			return nil, h.errorAt(int(tok.Start), fmt.Sprintf("%s is renamed from its own name", t))
		}
		out = append(out, schema.Rename{Kind: t.Kind, Schema: t.Schema, Table: t.Table, Name: t.Name, From: from, FromSchema: fromSchema,
			File: h.file, Line: line})
	}
	return out, nil
}

// directiveArg recognizes a schemadiff: directive in a -- comment and
// returns its argument. ok is false for ordinary comments.
func (h *hintFile) directiveArg(off int, text string) (arg directiveName, ok bool, err error) {
	body := strings.TrimRight(strings.TrimLeft(strings.TrimPrefix(text, "--"), " \t"), " \t\r")
	const prefix = "schemadiff:"
	if len(body) < len(prefix) || !strings.EqualFold(body[:len(prefix)], prefix) {
		return arg, false, nil
	}
	lineStart := strings.LastIndexByte(h.src[:off], '\n') + 1
	if strings.TrimLeft(h.src[lineStart:off], " \t\r\f\v") != "" {
		return arg, false, h.errorAt(off, "a schemadiff: directive must be on a line of its own, directly before what it applies to")
	}
	// "schemadiff: words" is prose, unless the word is the directive.
	spaced := strings.TrimLeft(body[len(prefix):], " \t")
	word, rest := splitWord(spaced)
	if len(spaced) < len(body)-len(prefix) && !strings.EqualFold(word, renameDirective) {
		return arg, false, nil
	}
	if isConversionDirective(word) {
		return arg, false, nil // read by ConversionHints
	}
	if !strings.EqualFold(word, renameDirective) {
		return arg, false, h.errorAt(off, fmt.Sprintf("unknown directive schemadiff:%s (the known ones are schemadiff:%s, schemadiff:%s and schemadiff:%s)",
			word, renameDirective, UsingDirective, UsingDownDirective))
	}
	arg, err = parseDirectiveName(strings.Trim(rest, " \t"))
	if err != nil {
		return arg, false, h.errorAt(off, err.Error())
	}
	return arg, true, nil
}

// targetAfter returns what the directive at token i applies to: whatever
// the next token that is not a comment begins.
func (h *hintFile) targetAfter(i int) (*hintTarget, error) {
	off := int(h.toks[i].Start)
	j := h.next(i)
	if j < 0 {
		return nil, h.errorAt(off, "schemadiff:renamed-from at the end of the file: it must directly precede "+renameTargets)
	}
	next := int(h.toks[j].Start)
	t := h.targets[next]
	if t == nil {
		line, _ := lineCol(h.src, next)
		return nil, h.errorAt(off, fmt.Sprintf("schemadiff:renamed-from must directly precede %s, but it precedes %q (line %d)",
			renameTargets, h.excerpt(next), line))
	}
	if t.problem != "" {
		return nil, h.errorAt(off, "schemadiff:renamed-from: "+t.problem)
	}
	return t, nil
}

// excerpt returns the text from off to the end of its line, shortened.
func (h *hintFile) excerpt(off int) string {
	s := h.src[off:]
	if k := strings.IndexAny(s, "\r\n"); k >= 0 {
		s = s[:k]
	}
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "..."
	}
	return s
}

func (h *hintFile) errorAt(off int, msg string) error {
	line, col := lineCol(h.src, off)
	return &SourceError{File: h.file, Line: line, Col: col, Msg: msg}
}

// next and prev return the index of the nearest token after or before i
// that is not a comment, or -1.
func (h *hintFile) next(i int) int { return h.step(i, 1) }
func (h *hintFile) prev(i int) int { return h.step(i, -1) }

func (h *hintFile) step(i, dir int) int {
	for j := i + dir; j >= 0 && j < len(h.toks); j += dir {
		if t := h.toks[j].Token; t != pgparse.Token_SQL_COMMENT && t != pgparse.Token_C_COMMENT {
			return j
		}
	}
	return -1
}

// tokenAt returns the index of the token starting at byte offset off, or -1
// (and the index of the first token after off).
func (h *hintFile) tokenAt(off int) (int, int) {
	i, ok := slices.BinarySearchFunc(h.toks, off, func(t *pgparse.ScanToken, off int) int {
		return int(t.Start) - off
	})
	if !ok {
		return -1, i
	}
	return i, i
}

// add registers a target at byte offset off, unless one is there already.
func (h *hintFile) add(off int, t *hintTarget) {
	if off < 0 || h.targets[off] != nil {
		return
	}
	h.targets[off] = t
}

// qualRel returns a relation's schema and name.
func qualRel(rv *pgparse.RangeVar, def string) (string, string) {
	if rv.GetSchemaname() != "" {
		return rv.Schemaname, rv.GetRelname()
	}
	return def, rv.GetRelname()
}

// collect registers the targets of a statement whose first token is at
// byte offset start. def is the schema of unqualified names.
func (h *hintFile) collect(n *pgparse.Node, start int, def string) {
	switch x := stmtMessage(n).Interface().(type) {
	case *pgparse.CreateStmt:
		s, t := qualRel(x.Relation, def)
		h.add(start, newTarget(schema.KindTable, s, "", t))
		for _, e := range x.TableElts {
			target, _ := h.element(s, t, e)
			if target != nil && target.Kind == schema.KindColumn && x.Partbound != nil {
				// PostgreSQL renames a partition's columns only with its
				// partitioned table's.
				target.problem = "the columns of a partition are renamed on the partitioned table: put the directive there"
			}
		}
	case *pgparse.IndexStmt:
		s, _ := qualRel(x.Relation, def)
		t := newTarget(schema.KindIndex, s, "", x.Idxname)
		if x.Idxname == "" {
			t.problem = "the index has no name: name it to rename it"
		}
		h.add(start, t)
	case *pgparse.CreateEnumStmt:
		s, name := def, ""
		if names := stringList(x.TypeName); len(names) == 1 {
			name = names[0]
		} else if len(names) > 1 {
			s, name = names[len(names)-2], names[len(names)-1]
		}
		h.add(start, newTarget(schema.KindEnum, s, "", name))
		h.enumLabels(start, s, name, stringList(x.Vals))
	case *pgparse.CreateSeqStmt:
		s, name := qualRel(x.Sequence, def)
		h.add(start, newTarget(schema.KindSequence, s, "", name))
	case *pgparse.ViewStmt:
		s, name := qualRel(x.View, def)
		h.add(start, newTarget(schema.KindView, s, "", name))
	case *pgparse.CreateTableAsStmt:
		s, name := qualRel(x.GetInto().GetRel(), def)
		switch x.Objtype {
		case pgparse.ObjectType_OBJECT_MATVIEW:
			h.add(start, newTarget(schema.KindMaterializedView, s, "", name))
		case pgparse.ObjectType_OBJECT_TABLE:
			h.add(start, newTarget(schema.KindTable, s, "", name))
		}
	case *pgparse.CreateSchemaStmt:
		h.createSchema(x, start)
	case *pgparse.AlterTableStmt:
		if x.Objtype != pgparse.ObjectType_OBJECT_TABLE {
			return
		}
		s, t := qualRel(x.Relation, def)
		for _, c := range x.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil || (cmd.Subtype != pgparse.AlterTableType_AT_AddColumn && cmd.Subtype != pgparse.AlterTableType_AT_AddConstraint) {
				continue
			}
			target, loc := h.element(s, t, cmd.Def)
			if target == nil {
				continue
			}
			// A directive may also precede the ADD of the command, and the
			// statement when it has only this command.
			if i, _ := h.tokenAt(loc); i >= 0 {
				j := h.prev(i)
				for j >= 0 && slices.Contains([]pgparse.Token{pgparse.Token_COLUMN, pgparse.Token_IF_P, pgparse.Token_NOT, pgparse.Token_EXISTS}, h.toks[j].Token) {
					j = h.prev(j)
				}
				if j >= 0 && h.toks[j].Token == pgparse.Token_ADD_P {
					h.add(int(h.toks[j].Start), target)
				}
			}
			if len(x.Cmds) == 1 {
				h.add(start, target)
			}
		}
	}
}

// createSchema registers a CREATE SCHEMA and the objects it creates.
func (h *hintFile) createSchema(x *pgparse.CreateSchemaStmt, start int) {
	name := x.Schemaname
	if name == "" {
		name = x.GetAuthrole().GetRolename()
	}
	h.add(start, newTarget(schema.KindSchema, "", "", name))
	for _, e := range x.SchemaElts {
		// The element's CREATE is the last one before its name.
		var rv *pgparse.RangeVar
		switch y := stmtMessage(e).Interface().(type) {
		case *pgparse.CreateStmt:
			rv = y.Relation
		case *pgparse.IndexStmt:
			rv = y.Relation
		case *pgparse.CreateSeqStmt:
			rv = y.Sequence
		case *pgparse.ViewStmt:
			rv = y.View
		}
		if rv == nil || rv.Location < 0 {
			continue
		}
		_, i := h.tokenAt(int(rv.Location))
		for i--; i >= 0 && int(h.toks[i].Start) > start; i-- {
			if h.toks[i].Token == pgparse.Token_CREATE {
				h.collect(e, int(h.toks[i].Start), name)
				break
			}
		}
	}
}

// element registers a column definition or table constraint of table s.t
// and returns its target and location (nil if it has none).
func (h *hintFile) element(s, t string, n *pgparse.Node) (*hintTarget, int) {
	if cd := n.GetColumnDef(); cd != nil {
		if cd.Location < 0 {
			return nil, -1
		}
		target := newTarget(schema.KindColumn, s, t, cd.Colname)
		h.add(int(cd.Location), target)
		for _, c := range cd.Constraints {
			h.element(s, t, c)
		}
		return target, int(cd.Location)
	}
	c := n.GetConstraint()
	if c == nil || c.Location < 0 {
		return nil, -1
	}
	switch c.Contype {
	case pgparse.ConstrType_CONSTR_CHECK, pgparse.ConstrType_CONSTR_PRIMARY, pgparse.ConstrType_CONSTR_UNIQUE,
		pgparse.ConstrType_CONSTR_EXCLUSION, pgparse.ConstrType_CONSTR_FOREIGN:
	default:
		return nil, -1
	}
	target := newTarget(schema.KindConstraint, s, t, c.Conname)
	if c.Conname == "" {
		target.problem = "the constraint has no name: name it (CONSTRAINT name ...) to rename it"
	}
	h.add(int(c.Location), target)
	return target, int(c.Location)
}

// enumLabels registers the labels of CREATE TYPE ... AS ENUM (...), found
// in the tokens after the statement's start since the parse tree does not
// locate them.
func (h *hintFile) enumLabels(start int, s, typ string, vals []string) {
	i, _ := h.tokenAt(start)
	if i < 0 {
		return
	}
	// The list opens at the first ENUM followed by "(" (the type itself may
	// be called enum).
	for ; i < len(h.toks); i = h.next(i) {
		if i < 0 || h.toks[i].Token == pgparse.Token_ASCII_59 {
			return
		}
		if h.toks[i].Token == pgparse.Token_ENUM_P {
			if j := h.next(i); j >= 0 && h.toks[j].Token == pgparse.Token_ASCII_40 {
				i = j
				break
			}
		}
	}
	var starts []int
	for j := h.next(i); j >= 0; j = h.next(j) {
		switch h.toks[j].Token {
		case pgparse.Token_ASCII_41:
			if len(starts) == len(vals) {
				for k, off := range starts {
					h.add(off, newTarget(schema.KindEnumValue, s, typ, vals[k]))
				}
			}
			return
		case pgparse.Token_ASCII_44:
		case pgparse.Token_ASCII_59:
			return
		default:
			if p := h.toks[h.prev(j)].Token; p == pgparse.Token_ASCII_40 || p == pgparse.Token_ASCII_44 {
				starts = append(starts, int(h.toks[j].Start))
			}
		}
	}
}

// splitWord splits s at its first space or tab.
func splitWord(s string) (word, rest string) {
	if k := strings.IndexAny(s, " \t"); k >= 0 {
		return s[:k], s[k:]
	}
	return s, ""
}

// directiveName is the old name written in a directive.
type directiveName struct {
	text  string
	quote byte // '"', '\'' or 0 for a bare word
}

// parseDirectiveName reads the one name after schemadiff:renamed-from.
func parseDirectiveName(s string) (directiveName, error) {
	if s == "" {
		return directiveName{}, fmt.Errorf("schemadiff:renamed-from needs the old name")
	}
	var n directiveName
	rest := ""
	if q := s[0]; q == '"' || q == '\'' {
		n.quote = q
		var b strings.Builder
		i := 1
		for ; i < len(s); i++ {
			if s[i] != q {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == q {
				b.WriteByte(q)
				i++
				continue
			}
			break
		}
		if i >= len(s) {
			return n, fmt.Errorf("schemadiff:renamed-from: unterminated quoted name %s", s)
		}
		n.text, rest = b.String(), s[i+1:]
	} else {
		n.text, rest = splitWord(s)
	}
	if rest = strings.TrimLeft(rest, " \t"); rest != "" {
		return n, fmt.Errorf("schemadiff:renamed-from takes one old name, found more: %s", s)
	}
	return n, nil
}

// qualifiedName returns the old name of an object of kind k, with its
// schema when the directive qualifies it: only a table may move to another
// schema.
func (n directiveName) qualifiedName(k schema.Kind) (schemaName, name string, err error) {
	if n.quote != 0 || !strings.Contains(n.text, ".") || k != schema.KindTable {
		name, err = n.name(k == schema.KindEnumValue)
		return "", name, err
	}
	sch, rel, _ := strings.Cut(n.text, ".")
	if schemaName, err = (directiveName{text: sch}).name(false); err == nil {
		name, err = (directiveName{text: rel}).name(false)
	}
	if err != nil {
		return "", "", fmt.Errorf("the old name %s is not a plain schema.name: write it as old_schema.old_name", n.text)
	}
	return schemaName, name, nil
}

// name returns the old name as stored in the catalog: an identifier is
// folded as PostgreSQL folds it and truncated to 63 bytes; an enum label is
// taken as written.
func (n directiveName) name(label bool) (string, error) {
	if label {
		if n.text == "" || len(n.text) > 63 {
			return "", fmt.Errorf("invalid enum label %q: labels have 1 to 63 bytes", n.text)
		}
		return n.text, nil
	}
	switch n.quote {
	case '\'':
		return "", fmt.Errorf("the old name %s is an identifier: write it bare or in double quotes", schema.Literal(n.text))
	case '"':
		if n.text == "" {
			return "", fmt.Errorf("zero-length quoted identifier")
		}
		return schema.TruncateIdent(n.text), nil
	}
	if strings.Contains(n.text, ".") {
		return "", fmt.Errorf("the old name %s is qualified: give only the old name (only a table may move to another schema)", n.text)
	}
	for i, r := range n.text {
		ok := r == '_' || r >= 0x80 || (r|0x20 >= 'a' && r|0x20 <= 'z') || (i > 0 && (r == '$' || (r >= '0' && r <= '9')))
		if !ok {
			return "", fmt.Errorf("the old name %s is not a plain identifier: double-quote it", n.text)
		}
	}
	return schema.TruncateIdent(foldIdent(n.text)), nil
}

// foldIdent lower-cases the ASCII letters of an unquoted identifier, as
// PostgreSQL does in a UTF-8 database.
func foldIdent(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// sqldefRenamed starts sqldef's rename annotation, accepted so that schemas
// written for sqldef keep their renames: a trailing comment
// "-- @renamed from=old" on the line of what was renamed.
const sqldefRenamed = "@renamed"

// sqldefArg recognizes "-- @renamed from=old" and returns its argument.
func (h *hintFile) sqldefArg(off int, text string) (arg directiveName, ok bool, err error) {
	body := strings.TrimSpace(strings.TrimPrefix(text, "--"))
	rest, found := cutPrefixFold(body, sqldefRenamed)
	if !found {
		return arg, false, nil
	}
	rest, found = cutPrefixFold(strings.TrimLeft(rest, " \t"), "from=")
	if !found {
		return arg, false, h.errorAt(off, "@renamed needs from=old_name")
	}
	arg, err = parseDirectiveName(strings.TrimSpace(rest))
	if err != nil {
		return arg, false, h.errorAt(off, err.Error())
	}
	return arg, true, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// targetBefore returns what a trailing annotation at off applies to: the
// first renameable thing that starts earlier on the same line (a column,
// not the inline constraints that follow it).
func (h *hintFile) targetBefore(off int) (*hintTarget, error) {
	lineStart := strings.LastIndexByte(h.src[:off], '\n') + 1
	best := -1
	for start := range h.targets {
		if start >= lineStart && start < off && (best < 0 || start < best) {
			best = start
		}
	}
	if best < 0 {
		return nil, h.errorAt(off, "@renamed must follow, on the same line, "+renameTargets)
	}
	t := h.targets[best]
	if t.problem != "" {
		return nil, h.errorAt(off, "@renamed: "+t.problem)
	}
	return t, nil
}

// mayHoldHints reports whether src, lower-cased, contains "schemadiff:"
// or sqldefRenamed, without lower-casing all of it: only around each
// colon and at sign. The runes that lower-case to the letters of those
// words take at most three bytes each.
func mayHoldHints(src string) bool {
	for i := 0; i < len(src); i++ {
		j := strings.IndexAny(src[i:], ":@")
		if j < 0 {
			return false
		}
		i += j
		if src[i] == ':' && strings.HasSuffix(strings.ToLower(src[max(0, i-32):i]), "schemadiff") ||
			src[i] == '@' && strings.HasPrefix(strings.ToLower(src[i:min(len(src), i+32)]), sqldefRenamed) {
			return true
		}
	}
	return false
}
