package pipeline

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// parallelMinStatements is how many statements a load must hold to be
// spread over two connections: below it, waiting for each other costs more
// than it saves.
const parallelMinStatements = 300

// minMeanLevelWidth is how many statements the levels of a load must hold
// on average for it to be spread: each level costs a commit on each
// connection, so long chains of statements that must follow each other
// load faster in order, in large transactions.
const minMeanLevelWidth = 4

// worthSpreading reports whether a load of n statements over levels is
// worth running over two connections.
func worthSpreading(n int, levels [][]int) bool {
	return n >= parallelMinStatements && n >= minMeanLevelWidth*len(levels)
}

// errParallel is returned (wrapped) when a load over two connections
// failed: it left part of the statements committed, and the caller loads
// them again, one connection, into a new database, whose error (if any) is
// the one to report.
var errParallel = errors.New("the load over two connections failed")

// readOnlyKinds are the kinds of object (by the start of
// sqlfile.Statement.Object) that the statements using them do not change:
// two statements that only use one may run at the same time.
var readOnlyKinds = []string{"type ", "domain ", "function ", "procedure ", "aggregate ", "collation ", "operator ", "schema ", "text search ", "conversion "}

// schemaWide matches statements whose effect depends on, or reaches, every
// object of a schema or the objects created after them.
var schemaWide = regexp.MustCompile(`(?i)\bALL\s+(TABLES|SEQUENCES|FUNCTIONS|PROCEDURES|ROUTINES)\s+IN\s+SCHEMA\b|\bDEFAULT\s+PRIVILEGES\b`)

// concurrently matches statements that may not run in a transaction block
// (CREATE INDEX CONCURRENTLY, ...), which a load runs on their own.
var concurrently = regexp.MustCompile(`(?i)\bCONCURRENTLY\b`)

// loadLevels spreads statements over levels for a load over several
// connections: statements of one level may run in any order and at the same
// time, each after every statement of the levels before it has committed,
// and the result is the one of running them all in order. It returns false
// when the statements must run in order on one connection: one of them
// changes a setting, changes rows, drops something, is of an unknown kind
// or may not run in a transaction block.
//
// A statement comes after an earlier one when:
//   - it uses what the earlier one creates, or creates or changes what the
//     earlier one uses (sqlfile.Statement.Provides and References); two
//     statements only using the same type, function or schema do not order
//     each other, two touching the same relation in any way do (a foreign key
//     changes the table it references, and column order, index choice and
//     locks depend on it);
//   - they name objects whose names start alike (stem): PostgreSQL names the
//     indexes, sequences and array types a statement creates after the
//     table or type, adding a digit when the name is taken, so only the
//     written order gives the same names;
//   - either changes privileges of a whole schema or default privileges, or
//     changes an owner (a block changing rights of the database), or names
//     nothing: it then runs alone, after everything before it.
func loadLevels(stmts []sqlfile.Statement) ([][]int, bool) {
	names := loadNames{created: map[string]bool{}, readOnly: map[string]bool{}}
	for i := range stmts {
		st := &stmts[i]
		switch st.Kind {
		case sqlfile.StmtCreate, sqlfile.StmtAlter, sqlfile.StmtComment, sqlfile.StmtGrant:
		default:
			return nil, false
		}
		if concurrently.MatchString(st.SQL) {
			return nil, false
		}
		readOnly := false
		if st.Kind == sqlfile.StmtCreate {
			for _, k := range readOnlyKinds {
				readOnly = readOnly || strings.HasPrefix(st.Object, k)
			}
		}
		for _, p := range st.Provides {
			names.created[p] = true
			names.readOnly[p] = readOnly
		}
	}
	var levels [][]int
	lastWrite, lastRead := map[string]int{}, map[string]int{}
	floor := 0 // the level of the last statement that runs alone
	for i := range stmts {
		st := &stmts[i]
		writes, reads := names.access(st)
		alone := len(st.Provides)+len(st.References) == 0 || schemaWide.MatchString(st.SQL) || strings.HasPrefix(st.SQL, "DO ")
		level := floor + 1
		if alone {
			level = len(levels) + 1
		}
		for _, k := range writes {
			level = max(level, lastWrite[k]+1, lastRead[k]+1)
		}
		for _, k := range reads {
			level = max(level, lastWrite[k]+1)
		}
		for len(levels) < level {
			levels = append(levels, nil)
		}
		levels[level-1] = append(levels[level-1], i)
		if alone {
			floor = level
			continue
		}
		for _, k := range writes {
			lastWrite[k] = level
		}
		for _, k := range reads {
			lastRead[k] = max(lastRead[k], level)
		}
	}
	return levels, true
}

// loadNames is what the statements of a load create.
type loadNames struct {
	// created holds the names some statement provides.
	created map[string]bool
	// readOnly holds those created by a statement of readOnlyKinds.
	readOnly map[string]bool
}

// access returns the keys a statement writes and reads (see loadLevels).
// It writes what it provides; a statement other than CREATE writes its
// object too. What it uses is written, except what no statement creates (a
// built-in type, say: nothing orders it), and, for CREATE, what a
// statement of readOnlyKinds creates and schemas, extensions and roles.
// Each relation-like name written also writes its stems.
func (n loadNames) access(st *sqlfile.Statement) (writes, reads []string) {
	write := func(name string) {
		writes = append(writes, name)
		for _, part := range nameParts(name) {
			writes = append(writes, "stem:"+stem(part))
		}
	}
	for _, p := range st.Provides {
		write(p)
	}
	// The object it acts on, as its messages name it ("statistics
	// public.s", "publication p"), and the stems of the qualified names
	// there: some statements provide or reference nothing else.
	writes = append(writes, "object:"+st.Object)
	if st.Kind != sqlfile.StmtCreate {
		for _, name := range objectNames(st.Object) {
			writes = append(writes, "stem:"+stem(name))
		}
	}
	for _, r := range st.References {
		switch {
		case !n.created[r]:
			reads = append(reads, r)
		case st.Kind == sqlfile.StmtCreate && (n.readOnly[r] || !relationLike(r)):
			reads = append(reads, r)
		default:
			write(r)
		}
	}
	return writes, reads
}

// objectKindWords are the words of the kinds in sqlfile.Statement.Object
// ("materialized view", "index ... on", "user mapping for", ...).
var objectKindWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`table view materialized index on sequence type domain function procedure
		aggregate routine column constraint trigger policy rule statistics publication schema extension role
		foreign data wrapper server user mapping for event collation operator class family text search
		configuration dictionary parser template cast conversion language default privileges parameter all
		parameters select large object transform access method subscription tablespace database statement`) {
		objectKindWords[w] = true
	}
}

// objectNames returns the names in a statement's Object, unquoted, without
// the words of its kind and the schemas of qualified names: "column
// public.t.c" gives t and c, "statistics orders_amount" orders_amount.
func objectNames(object string) []string {
	var names []string
	for _, word := range splitUnquoted(object, ' ') {
		parts := splitUnquoted(word, '.')
		if len(parts) > 1 {
			parts = parts[1:]
		}
		for _, p := range parts {
			if strings.HasPrefix(p, `"`) {
				names = append(names, strings.ReplaceAll(strings.Trim(p, `"`), `""`, `"`))
			} else if !objectKindWords[p] && p != "" {
				names = append(names, p)
			}
		}
	}
	return names
}

// splitUnquoted splits s at sep outside double quotes.
func splitUnquoted(s string, sep byte) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// relationLike reports whether a normalized name (see
// sqlfile.Statement.Provides) may name a relation or a part of one.
func relationLike(name string) bool {
	kind, _, found := strings.Cut(name, ":")
	if !found {
		return true
	}
	switch kind {
	case "schema", "ext", "role", "collation":
		return false
	}
	return true
}

// nameParts returns the names in a normalized name that PostgreSQL may
// derive relation or type names from, or that may be such a name: "s.t"
// gives t, "constraint:s.t.c" t and c (the index of a key is named like
// the constraint), "column:s.t.c" t; schemas, extensions, roles and
// collations give none.
func nameParts(name string) []string {
	if !relationLike(name) {
		return nil
	}
	kind, rest, found := strings.Cut(name, ":")
	if !found {
		rest = name
	}
	parts := strings.Split(rest, ".")
	if len(parts) > 1 {
		parts = parts[1:] // the schema
	}
	if found && kind != "constraint" && len(parts) > 1 {
		parts = parts[:1] // the table of a column, trigger, policy, rule
	}
	return parts
}

// stem is what the names PostgreSQL derives from a name (name_col_key,
// name_pkey, _name, ...) keep of it: its first word, at most 16 bytes.
// Names truncated to 63 bytes keep at least that much of it.
func stem(name string) string {
	s := strings.ToLower(strings.TrimLeft(name, "_"))
	if i := strings.IndexByte(s, '_'); i > 0 {
		s = s[:i]
	}
	if len(s) > 16 {
		s = s[:16]
	}
	return s
}

// loadParallel runs the statements over conns, level by level (see
// runLevels), each connection's share of a level in one transaction,
// joined into as few queries as they allow.
func loadParallel(ctx context.Context, conns [2]*pgx.Conn, stmts []sqlfile.Statement, levels [][]int) error {
	return runLevels(stmts, levels, nil, func(c int, share []int) error {
		return inTransaction(ctx, conns[c], func(tx pgx.Tx) error {
			for _, run := range queryRuns(stmts, share, nil) {
				if _, err := tx.Exec(ctx, joinQuery(stmts, run, nil), pgx.QueryExecModeSimpleProtocol); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// runLevels runs the levels one after the other: each level's statements
// are shared between two connections (the statements pinned reports go
// to the first), and run(c, share) runs connection c's share, committing
// it, on a goroutine of its own for the second. A level starts once both
// shares of the one before are done. Any failure is errParallel: the
// database then holds part of the statements.
func runLevels(stmts []sqlfile.Statement, levels [][]int, pinned func(i int) bool, run func(c int, share []int) error) error {
	for _, level := range levels {
		var shares [2][]int
		var size [2]int
		for _, i := range level {
			c := 0
			if size[1] < size[0] && (pinned == nil || !pinned(i)) {
				c = 1
			}
			shares[c] = append(shares[c], i)
			size[c] += len(stmts[i].SQL)
		}
		var errs [2]error
		done := make(chan struct{})
		go func() {
			defer close(done)
			if len(shares[1]) > 0 {
				errs[1] = run(1, shares[1])
			}
		}()
		if len(shares[0]) > 0 {
			errs[0] = run(0, shares[0])
		}
		<-done
		if err := errors.Join(errs[0], errs[1]); err != nil {
			return fmt.Errorf("%w: %w", errParallel, err)
		}
	}
	return nil
}
