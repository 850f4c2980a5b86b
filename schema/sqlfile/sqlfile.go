// Package sqlfile reads the desired schema from SQL files: it splits them
// into statements positioned by file, line and column, classifies them,
// finds what each one defines and refers to, orders them for loading, reads
// the rename and conversion hints written in comments (schemadiff:renamed-from,
// schemadiff:using) and loads the statements into a database, naming the
// file and line of any statement that fails.
package sqlfile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// StatementKind classifies a schema-file statement.
type StatementKind int

// The statement kinds.
const (
	// StmtOther is any statement not covered by the other kinds.
	StmtOther StatementKind = iota
	// StmtCreate creates an object (CREATE ..., including CREATE INDEX,
	// CREATE VIEW and CREATE TABLE AS).
	StmtCreate
	// StmtAlter changes an object (ALTER ..., also RENAME and OWNER TO).
	StmtAlter
	// StmtComment is COMMENT ON or SECURITY LABEL.
	StmtComment
	// StmtGrant is GRANT, REVOKE or ALTER DEFAULT PRIVILEGES.
	StmtGrant
	// StmtDrop is DROP ....
	StmtDrop
	// StmtSet changes a session setting: SET, RESET, or a SELECT that only
	// calls set_config.
	StmtSet
	// StmtData changes rows: INSERT, UPDATE, DELETE, TRUNCATE, MERGE (also
	// inside WITH), CALL or DO. It runs only where the schema is loaded (the
	// scratch database); schemadiff migrates structure, not data.
	StmtData
)

// String returns the kind's lower-case name.
func (k StatementKind) String() string {
	switch k {
	case StmtCreate:
		return "create"
	case StmtAlter:
		return "alter"
	case StmtComment:
		return "comment"
	case StmtGrant:
		return "grant"
	case StmtDrop:
		return "drop"
	case StmtSet:
		return "set"
	case StmtData:
		return "data"
	default:
		return "other"
	}
}

// Statement is one statement of a schema file.
type Statement struct {
	// SQL is the statement text exactly as written, from its first token to
	// its last, without the terminating semicolon.
	SQL string
	// File is the file's path as given to Read or found below it.
	File string
	// Line and Col locate the statement's first token, both 1-based. Col
	// counts characters (runes), not bytes.
	Line int
	Col  int
	Kind StatementKind
	// Object names what the statement creates or acts on, for messages,
	// e.g. `table public.users`, `index users_email_idx`, `function
	// public.f`.
	Object string
	// Provides are the normalized names the statement creates: "s.name" for
	// relations, types and functions, "schema:s", "ext:e", "role:r", and
	// "column:s.t.c", "constraint:s.t.c", "trigger:s.t.n", "policy:s.t.n",
	// "rule:s.t.n", "key:s.t" (a primary key or unique constraint of s.t),
	// "columns:s.t" (ALTER TABLE adds or renames columns of s.t).
	Provides []string
	// References are the normalized names the statement refers to, in the
	// same notation. Unqualified names are taken to be in schema public.
	References []string

	// defines is what a CREATE statement defines, read with its parse tree
	// (definesRead) so that CheckDefinedOnce does not parse it again.
	defines     []Definition
	definesRead bool
	// ordering is what Order reads from the parse tree, read with it
	// (orderingRead) so that Order does not parse the statement again.
	ordering     ordering
	orderingRead bool
}

// ordering is what Order reads from a statement's parse tree beyond its
// references.
type ordering struct {
	// soft are the references of a function that only its PL/pgSQL body
	// makes.
	soft []string
	// allIn are the schemas of a GRANT or REVOKE on all objects of some
	// schemas; defaults is set on ALTER DEFAULT PRIVILEGES.
	allIn    []string
	defaults bool
}

// SourceError is an error at a position in a schema file.
type SourceError struct {
	File string
	Line int
	Col  int
	Msg  string
	// Err is the underlying error (for example the database's), if any. Its
	// text is already part of Msg.
	Err error
}

// Error renders the error as "file:line:col: msg".
func (e *SourceError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Unwrap returns the underlying error.
func (e *SourceError) Unwrap() error { return e.Err }

// Read reads a .sql file, or every *.sql file below a directory
// (recursively, sorted by full path, the extension in any case; directories
// whose name starts with a dot are skipped), parses each and returns their
// statements in file order.
//
// Syntax errors are returned as a *SourceError at the error's position.
// Statements that change data (INSERT, UPDATE, DELETE, TRUNCATE, MERGE,
// CALL, DO) are kept as StmtData: they make the files a script that runs in
// written order, and they run only in the database the schema is loaded
// into. COPY, which reads rows from outside the files, is rejected with a
// *SourceError at the statement.
// Transaction control (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK) is
// common in dumps and is silently dropped; other transaction statements
// (SAVEPOINT, PREPARE TRANSACTION, ...) are rejected. No statements at all is
// an empty schema, not an error.
func Read(path string) ([]Statement, error) {
	return readWith(path, Parse)
}

// readWith reads the .sql file at path, or every .sql file below it, with
// parse.
func readWith(path string, parse func(file, src string) ([]Statement, error)) ([]Statement, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading schema files: %w", err)
	}
	files := []string{path}
	if info.IsDir() {
		files, err = Files(path)
		if err != nil {
			return nil, err
		}
	}
	var stmts []Statement
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading schema file: %w", err)
		}
		s, err := parse(f, string(src))
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s...)
	}
	return stmts, nil
}

// Files lists the *.sql files below dir that Read reads, sorted by path,
// skipping directories whose name starts with a dot.
func Files(dir string) ([]string, error) {
	files, err := FilesBelow(dir,
		func(name string) bool { return strings.HasPrefix(name, ".") },
		func(name string) bool { return strings.EqualFold(filepath.Ext(name), ".sql") })
	if err != nil {
		return nil, fmt.Errorf("reading schema directory %s: %w", dir, err)
	}
	return files, nil
}

// FilesBelow lists, sorted by path, the files below dir whose name keep
// accepts, not descending into the directories below dir whose name
// skipDir accepts. A symbolic link counts when it leads to a file.
func FilesBelow(dir string, skipDir, keep func(name string) bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !keep(d.Name()) {
			return nil
		}
		if !d.Type().IsRegular() {
			if fi, err := os.Stat(p); err != nil || fi.IsDir() {
				return nil
			}
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	return files, nil
}

// Parse splits and checks the statements of one file. A large file is
// parsed in pieces on several cores (see parseConcurrently), with the
// result and errors of parsing it in one piece.
func Parse(file, src string) ([]Statement, error) {
	src, err := prepare(file, src)
	if err != nil {
		return nil, err
	}
	segs, err := parseConcurrently(file, src)
	if err != nil {
		return nil, err
	}
	return statements(file, src, segs), nil
}

// prepare checks the text of a file before it is parsed and returns it as
// it is parsed: without a byte order mark, with pg_dump's \restrict lines
// blanked.
func prepare(file, src string) (string, error) {
	src = strings.TrimPrefix(src, "\ufeff")
	if !utf8.ValidString(src) {
		off := firstInvalidUTF8(src)
		line, col := lineCol(src, off)
		return "", &SourceError{File: file, Line: line, Col: col, Msg: "invalid UTF-8"}
	}
	if strings.IndexByte(src, 0) >= 0 {
		line, col := lineCol(src, strings.IndexByte(src, 0))
		return "", &SourceError{File: file, Line: line, Col: col, Msg: "NUL byte in SQL text"}
	}
	return dropPsqlRestrict(file, src)
}

// segment is a stretch of a file's text that the parser reads the same
// way wherever it stands, as long as the text before it ends a statement:
// from the start of the text or just after a statement's terminating
// semicolon up to and including the next such semicolon. It holds one
// statement or none (white space, comments, empty statements, dropped
// transaction control). Segments tile the text.
type segment struct {
	text string
	// open is set on a last segment that does not end with a terminating
	// semicolon: text following it could continue it, so it stands only
	// at the end of a text.
	open bool
	// stmt is the statement read from text, nil when there is none.
	stmt *segmentStmt
}

// segmentStmt is what reading a statement derives from its text alone.
type segmentStmt struct {
	// start and end delimit the statement's SQL within the segment.
	start, end           int
	kind                 StatementKind
	object               string
	provides, references []string
	defines              []Definition
	definesRead          bool
	ordering             ordering
}

// parseSegments parses src, the whole text of file or a stretch of it
// that starts where a statement may start, and returns its segments.
// Errors are positioned in src.
func parseSegments(file, src string) ([]segment, error) {
	tree, scan, err := pgparse.ParseScanned(src)
	var deep *pgparse.DepthError
	if errors.As(err, &deep) {
		return nil, tooDeepError(file, src, scan.Tokens, deep.Offset, deep)
	}
	if err != nil {
		return nil, syntaxError(file, src, err)
	}
	bounds, closed := segmentBounds(tree.Stmts, scan.Tokens, len(src))
	segs := make([]segment, 0, len(bounds))
	next := 0 // the next statement of tree.Stmts
	for i := 0; i+1 < len(bounds); i++ {
		from, to := bounds[i], bounds[i+1]
		sg := segment{text: src[from:to], open: to == len(src) && !closed}
		if next < len(tree.Stmts) && int(tree.Stmts[next].StmtLocation) == from {
			raw := tree.Stmts[next]
			next++
			end := len(src)
			if raw.StmtLen > 0 {
				end = from + int(raw.StmtLen)
			}
			st, err := readStatement(file, src, raw.Stmt, scan.Tokens, from, end)
			if err != nil {
				return nil, err
			}
			if st != nil {
				st.start -= from
				st.end -= from
			}
			sg.stmt = st
		}
		segs = append(segs, sg)
	}
	return segs, nil
}

// segmentBounds returns the offsets where the segments of a text of n
// bytes start, then n: 0, and each statement's start and the offset just
// after its terminating semicolon. closed reports whether the text ends
// with a terminating semicolon: the parser accepted its last token, a
// semicolon, which only ends a statement (or an empty one) there.
func segmentBounds(stmts []*pgparse.RawStmt, toks []*pgparse.ScanToken, n int) (bounds []int, closed bool) {
	bounds = make([]int, 1, 2*len(stmts)+2)
	for _, raw := range stmts {
		bounds = append(bounds, int(raw.StmtLocation))
		if raw.StmtLen > 0 {
			bounds = append(bounds, int(raw.StmtLocation+raw.StmtLen)+1)
		}
	}
	bounds = append(bounds, n)
	bounds = slices.Compact(bounds)
	if len(toks) > 0 {
		last := toks[len(toks)-1]
		closed = last.Token == pgparse.Token_ASCII_59 && int(last.End) == n
	}
	return bounds, closed
}

// readStatement derives a statement's fields from its parse tree; raw is
// the statement between byte offsets start and end of src, with the white
// space and comments around it. It returns nil for a statement that is
// dropped silently.
func readStatement(file, src string, stmt *pgparse.Node, toks []*pgparse.ScanToken, start, end int) (*segmentStmt, error) {
	start, end = tokenBounds(toks, start, end)
	if skip, msg := checkAllowed(stmt); skip {
		return nil, nil
	} else if msg != "" {
		line, col := lineCol(src, start)
		return nil, &SourceError{File: file, Line: line, Col: col, Msg: msg}
	}
	st := &segmentStmt{start: start, end: end, kind: classify(stmt)}
	if st.kind == StmtCreate {
		st.defines, st.definesRead = definitions(stmt, "public"), true
	}
	a := analyze(stmt, src[start:end])
	if a.tooDeep != nil {
		line, col := lineCol(src, start)
		return nil, &SourceError{File: file, Line: line, Col: col, Msg: a.object + ": its body: " + a.tooDeep.Error(), Err: a.tooDeep}
	}
	st.object, st.provides, st.references = a.object, a.provides, a.refs
	if tag := DataTag(stmt); tag != "" {
		st.object = tag + " statement"
	}
	if isRoutine(st.kind, st.object) {
		st.ordering.soft = a.soft
	}
	if st.kind == StmtGrant {
		st.ordering.allIn, st.ordering.defaults = grantScopeOf(stmt)
	}
	return st, nil
}

// statements returns the statements of segs, which tile src, the text of
// file. The statements share the slices of segs.
func statements(file, src string, segs []segment) []Statement {
	var out []Statement
	var lines lineIndex
	off := 0
	for _, sg := range segs {
		if p := sg.stmt; p != nil {
			if lines.starts == nil {
				lines = newLineIndex(src)
			}
			line, col := lines.lineCol(off + p.start)
			out = append(out, Statement{
				SQL: src[off+p.start : off+p.end], File: file, Line: line, Col: col,
				Kind: p.kind, Object: p.object,
				Provides: p.provides, References: p.references,
				defines: p.defines, definesRead: p.definesRead,
				ordering: p.ordering, orderingRead: true,
			})
		}
		off += len(sg.text)
	}
	return out
}

// dropPsqlRestrict blanks the \restrict and \unrestrict lines pg_dump
// writes around a dump (keeping every offset and line number), so that its
// output can be used as a schema file. Any other line starting with a psql
// meta-command is an error naming it.
func dropPsqlRestrict(file, src string) (string, error) {
	if !strings.Contains(src, "\\") {
		return src, nil
	}
	b := []byte(src)
	off := 0
	for _, line := range strings.SplitAfter(src, "\n") {
		if strings.HasPrefix(line, "\\") {
			cmd, _, _ := strings.Cut(strings.TrimRight(line[1:], "\r\n"), " ")
			if cmd != "restrict" && cmd != "unrestrict" {
				l, c := lineCol(src, off)
				return "", &SourceError{File: file, Line: l, Col: c,
					Msg: "psql meta-command \\" + cmd + " is not SQL: schema files hold SQL statements only"}
			}
			for i := off; i < off+len(strings.TrimRight(line, "\r\n")); i++ {
				b[i] = ' '
			}
		}
		off += len(line)
	}
	return string(b), nil
}

// syntaxError turns a parser error into a *SourceError at its position.
// pg_query's Cursorpos is a 1-based offset counted in characters (the
// server's error position), not bytes, so it is converted by counting runes.
func syntaxError(file, src string, err error) error {
	var pe *pgparse.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("parsing %s: %w", file, err)
	}
	line, col := 1, 1
	if pe.Cursorpos > 0 {
		line, col = lineCol(src, runeOffset(src, pe.Cursorpos-1))
	}
	return &SourceError{File: file, Line: line, Col: col, Msg: pe.Message, Err: err}
}

// tooDeepError reports an expression too deep to parse at byte offset off
// of src, naming the statement it is in by its first words (the statement
// cannot be parsed to name its object).
func tooDeepError(file, src string, toks []*pgparse.ScanToken, off int, err error) error {
	line, col := lineCol(src, off)
	msg := err.Error()
	if head := statementHead(src, toks, off); head != "" {
		msg += ", in " + head + " ..."
	}
	return &SourceError{File: file, Line: line, Col: col, Msg: msg, Err: err}
}

// statementHead returns the first words of the statement holding byte
// offset off, up to its first parenthesis or AS, at most eight tokens.
func statementHead(src string, toks []*pgparse.ScanToken, off int) string {
	start := 0
	for i, t := range toks {
		if int(t.Start) >= off {
			break
		}
		if t.Token == pgparse.Token_ASCII_59 {
			start = i + 1
		}
	}
	var words []string
	for _, t := range toks[start:] {
		if len(words) == 8 || int(t.Start) >= off || t.Token == pgparse.Token_ASCII_40 || t.Token == pgparse.Token_AS {
			break
		}
		if t.Token != pgparse.Token_SQL_COMMENT && t.Token != pgparse.Token_C_COMMENT {
			words = append(words, src[t.Start:t.End])
		}
	}
	return strings.Join(words, " ")
}

// tokenBounds narrows [start, end) to the first and last tokens inside it,
// leaving out surrounding white space and comments.
func tokenBounds(toks []*pgparse.ScanToken, start, end int) (int, int) {
	first, last := -1, -1
	i, _ := slices.BinarySearchFunc(toks, start, func(t *pgparse.ScanToken, off int) int {
		return int(t.Start) - off
	})
	for _, t := range toks[i:] {
		ts, te := int(t.Start), int(t.End)
		if ts >= end {
			break
		}
		if te > end {
			continue
		}
		if t.Token == pgparse.Token_SQL_COMMENT || t.Token == pgparse.Token_C_COMMENT {
			continue
		}
		if first < 0 {
			first = ts
		}
		last = te
	}
	if first < 0 {
		return start, end
	}
	return first, last
}

// runeOffset returns the byte offset of the n-th (0-based) rune of s.
func runeOffset(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

// lineCol converts a byte offset into a 1-based line and a 1-based column
// counted in runes. Lines end at "\n", so CRLF files count like LF files.
func lineCol(s string, off int) (int, int) {
	return newLineIndex(s).lineCol(off)
}

// LineCol returns the 1-based line and column, counted in runes, of byte
// offset off of s, as positions in schema files are given.
func LineCol(s string, off int) (line, col int) { return lineCol(s, off) }

// lineIndex locates byte offsets of a text by line and column, in
// logarithmic time once the text's line starts are known.
type lineIndex struct {
	src    string
	starts []int // byte offset of each line's first byte
}

func newLineIndex(src string) lineIndex {
	starts := make([]int, 1, strings.Count(src, "\n")+1)
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{src: src, starts: starts}
}

// lineCol returns the 1-based line and column (in characters) of byte
// offset off.
func (x lineIndex) lineCol(off int) (int, int) {
	if off > len(x.src) {
		off = len(x.src)
	}
	if off < 0 {
		off = 0
	}
	line, _ := slices.BinarySearch(x.starts, off+1) // line starts <= off
	lineStart := x.starts[line-1]
	return line, utf8.RuneCountInString(x.src[lineStart:off]) + 1
}

func firstInvalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// stmtMessage returns the message inside a pg_query Node.
func stmtMessage(n *pgparse.Node) protoreflect.Message {
	if n == nil {
		return nil
	}
	m := n.ProtoReflect()
	fd := m.WhichOneof(m.Descriptor().Oneofs().Get(0))
	if fd == nil {
		return nil
	}
	return m.Get(fd).Message()
}

// dataStatements are the statements that change data, by parse node.
var dataStatements = map[string]string{
	"InsertStmt":   "INSERT",
	"UpdateStmt":   "UPDATE",
	"DeleteStmt":   "DELETE",
	"TruncateStmt": "TRUNCATE",
	"MergeStmt":    "MERGE",
	"CallStmt":     "CALL",
	"DoStmt":       "DO",
}

// DataTag returns the command tag of a statement that changes data
// ("INSERT", "DO", ...), or "" for any other statement. A SELECT whose WITH
// clause changes data reports the tag of the change.
func DataTag(n *pgparse.Node) string {
	m := stmtMessage(n)
	if m == nil {
		return ""
	}
	name := string(m.Descriptor().Name())
	if tag, ok := dataStatements[name]; ok {
		return tag
	}
	if name != "SelectStmt" {
		return ""
	}
	tag := ""
	pgparse.WalkMessages(m, func(m protoreflect.Message) {
		if t, ok := dataStatements[string(m.Descriptor().Name())]; ok && tag == "" {
			tag = t
		}
	})
	return tag
}

// globalStatements create server-wide objects, which a schema (one
// database) does not hold.
var globalStatements = map[string]string{
	"CreateRoleStmt":       "CREATE ROLE",
	"AlterRoleStmt":        "ALTER ROLE",
	"DropRoleStmt":         "DROP ROLE",
	"CreatedbStmt":         "CREATE DATABASE",
	"DropdbStmt":           "DROP DATABASE",
	"CreateTableSpaceStmt": "CREATE TABLESPACE",
}

// checkAllowed reports whether a statement is dropped silently, or else the
// message rejecting it ("" when it is allowed).
func checkAllowed(n *pgparse.Node) (skip bool, msg string) {
	if ts := n.GetTransactionStmt(); ts != nil {
		switch ts.Kind {
		case pgparse.TransactionStmtKind_TRANS_STMT_BEGIN, pgparse.TransactionStmtKind_TRANS_STMT_START,
			pgparse.TransactionStmtKind_TRANS_STMT_COMMIT, pgparse.TransactionStmtKind_TRANS_STMT_ROLLBACK:
			return true, ""
		}
		kind := strings.ReplaceAll(strings.TrimPrefix(ts.Kind.String(), "TRANS_STMT_"), "_", " ")
		return false, fmt.Sprintf("%s is not allowed in schema files: the schema is loaded as a whole", kind)
	}
	m := stmtMessage(n)
	if m == nil {
		return false, ""
	}
	name := string(m.Descriptor().Name())
	if what, ok := globalStatements[name]; ok {
		return false, what + " is not allowed in schema files: it is a server-wide object that schemadiff does not manage; create it outside the schema"
	}
	if name == "CopyStmt" {
		return false, "COPY is not allowed in schema files: it reads rows from outside them; use INSERT"
	}
	return false, ""
}

// classify returns a statement's kind.
func classify(n *pgparse.Node) StatementKind {
	m := stmtMessage(n)
	if m == nil {
		return StmtOther
	}
	if DataTag(n) != "" {
		return StmtData
	}
	name := string(m.Descriptor().Name())
	switch name {
	case "IndexStmt", "ViewStmt", "DefineStmt", "CompositeTypeStmt", "RuleStmt", "CreateTableAsStmt":
		return StmtCreate
	case "CommentStmt", "SecLabelStmt":
		return StmtComment
	case "GrantStmt", "GrantRoleStmt", "AlterDefaultPrivilegesStmt":
		return StmtGrant
	case "RenameStmt", "AlterOwnerStmt", "AlterObjectSchemaStmt", "AlterObjectDependsStmt":
		return StmtAlter
	case "VariableSetStmt":
		return StmtSet
	case "SelectStmt":
		if isSetConfig(n.GetSelectStmt()) {
			return StmtSet
		}
		return StmtOther
	}
	switch {
	case strings.HasPrefix(name, "Create"):
		return StmtCreate
	case strings.HasPrefix(name, "Alter"):
		return StmtAlter
	case strings.HasPrefix(name, "Drop"):
		return StmtDrop
	}
	return StmtOther
}

// isSetConfig reports whether a SELECT only calls set_config, like the one
// pg_dump writes to empty search_path.
func isSetConfig(s *pgparse.SelectStmt) bool {
	if s == nil || len(s.TargetList) == 0 || len(s.FromClause) > 0 {
		return false
	}
	for _, t := range s.TargetList {
		fc := t.GetResTarget().GetVal().GetFuncCall()
		if fc == nil {
			return false
		}
		names := stringList(fc.Funcname)
		if len(names) == 0 || names[len(names)-1] != "set_config" {
			return false
		}
	}
	return true
}

// Execer runs one SQL statement.
type Execer interface {
	Exec(ctx context.Context, sql string) error
}

// Load runs statements in order on db. A failure is returned as a
// *SourceError naming the statement's position, its Object and the
// database's message, e.g. `schema/orders.sql:12:1: creating table
// public.orders: relation "customers" does not exist`.
func Load(ctx context.Context, db Execer, stmts []Statement) error {
	for _, s := range stmts {
		if err := db.Exec(ctx, s.SQL); err != nil {
			return &SourceError{
				File: s.File, Line: s.Line, Col: s.Col,
				Msg: describeAction(s) + ": " + dbMessage(err),
				Err: err,
			}
		}
	}
	return nil
}

// describeAction says what running a statement does, e.g. "creating table
// public.orders".
func describeAction(s Statement) string {
	obj := s.Object
	if obj == "" {
		obj = "statement"
	}
	switch s.Kind {
	case StmtCreate:
		return "creating " + obj
	case StmtAlter:
		return "altering " + obj
	case StmtComment:
		return "commenting on " + obj
	case StmtGrant:
		if strings.HasPrefix(obj, "default privileges") || strings.HasPrefix(obj, "role ") {
			return "granting " + obj
		}
		return "setting privileges on " + obj
	case StmtDrop:
		return "dropping " + obj
	case StmtSet:
		return "setting " + obj
	default:
		return "running " + obj
	}
}

var sqlStateSuffix = regexp.MustCompile(` \(SQLSTATE [0-9A-Z]{5}\)$`)

// dbMessage returns a database error's text without the severity prefix and
// SQLSTATE suffix drivers commonly add.
func dbMessage(err error) string {
	msg := err.Error()
	for _, p := range []string{"ERROR: ", "FATAL: ", "PANIC: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return sqlStateSuffix.ReplaceAllString(msg, "")
}
