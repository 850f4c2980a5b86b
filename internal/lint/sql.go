package lint

import (
	"errors"
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"unicode"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// migrationState is what lint knows while it reads one migration's Up
// steps in order.
type migrationState struct {
	fl      *fileLinter
	version string
	// created holds the tables created earlier in the migration: nobody
	// uses them yet, so nothing on them is dangerous.
	created map[string]bool
	// notNullChecks are the CHECK (col IS NOT NULL) constraints added so
	// far, by name; checkedNotNull the table.column pairs such a check
	// has been validated for.
	notNullChecks  map[string]notNullCheck
	checkedNotNull map[string]bool
	// lockTimeoutOff is where the migration turns lock_timeout off, if it
	// does (Line 0 otherwise), and lockTimeoutHow how.
	lockTimeoutOff token.Position
	lockTimeoutHow string
	// exclusive is the first statement that takes an ACCESS EXCLUSIVE
	// lock on an existing table.
	exclusive token.Position
}

// notNullCheck is a CHECK (column IS NOT NULL) constraint of a table.
type notNullCheck struct{ table, column string }

// stmt is one statement being linted.
type stmt struct {
	pos    token.Position
	hazard bool // a // HAZARD comment is above its step
}

// step lints one element of the Up slice.
func (m *migrationState) step(e ast.Expr, hazard bool) {
	pos := m.fl.fset.Position(e.Pos())
	bl, rule, why := stepSQL(e)
	if bl == nil {
		m.fl.add(pos, m.version, rule, "%s", why)
		return
	}
	text, ok := newSQLText(m.fl.fset, bl)
	if !ok {
		m.fl.add(pos, m.version, UnreadableStep, "the SQL string literal cannot be read")
		return
	}
	tree, err := pgparse.Parse(text.sql)
	if err != nil {
		var pe *pgparse.ParseError
		at := text.pos
		if errors.As(err, &pe) && pe.Cursorpos > 0 {
			at = text.position(pe.Cursorpos - 1)
		}
		m.fl.add(at, m.version, SQLSyntax, "the SQL does not parse: %v", err)
		return
	}
	for _, raw := range tree.Stmts {
		off := skipSpace(text.sql, int(raw.StmtLocation))
		m.statement(raw.Stmt, stmt{pos: text.position(off), hazard: hazard})
	}
}

// skipSpace moves off past white space and SQL comments, to where a
// statement's text starts.
func skipSpace(s string, off int) int {
	for off < len(s) {
		switch {
		case unicode.IsSpace(rune(s[off])):
			off++
		case strings.HasPrefix(s[off:], "--"):
			nl := strings.IndexByte(s[off:], '\n')
			if nl < 0 {
				return len(s)
			}
			off += nl + 1
		default:
			return off
		}
	}
	return off
}

// statement lints one parsed statement.
func (m *migrationState) statement(n *pgparse.Node, s stmt) {
	switch {
	case n.GetCreateStmt() != nil:
		m.created[tableKey(n.GetCreateStmt().GetRelation())] = true
	case n.GetIndexStmt() != nil:
		m.index(n.GetIndexStmt(), s)
	case n.GetAlterTableStmt() != nil:
		m.alterTable(n.GetAlterTableStmt(), s)
	case n.GetDropStmt() != nil:
		m.drop(n.GetDropStmt(), s)
	case n.GetVariableSetStmt() != nil:
		m.set(n.GetVariableSetStmt(), s)
	case n.GetRenameStmt() != nil:
		if rel := n.GetRenameStmt().GetRelation(); rel != nil && m.existing(rel) {
			m.takesExclusive(s)
		}
	}
}

// tableKey names a table; an unqualified name stands for public.
func tableKey(rv *pgparse.RangeVar) string {
	if rv == nil {
		return ""
	}
	schema := rv.GetSchemaname()
	if schema == "" {
		schema = "public"
	}
	return schema + "." + rv.GetRelname()
}

// displayName is a table's name as the statement wrote it.
func displayName(rv *pgparse.RangeVar) string {
	if rv.GetSchemaname() != "" {
		return rv.GetSchemaname() + "." + rv.GetRelname()
	}
	return rv.GetRelname()
}

// existing reports whether the table existed before the migration.
func (m *migrationState) existing(rv *pgparse.RangeVar) bool {
	return !m.created[tableKey(rv)]
}

func (m *migrationState) takesExclusive(s stmt) {
	if m.exclusive.Line == 0 {
		m.exclusive = s.pos
	}
}

func (m *migrationState) index(ix *pgparse.IndexStmt, s stmt) {
	rel := ix.GetRelation()
	if ix.GetConcurrent() || !m.existing(rel) {
		return
	}
	m.fl.add(s.pos, m.version, IndexNotConcurrent,
		"CREATE INDEX %s on the existing table %s without CONCURRENTLY blocks its writes while the index builds: use CREATE INDEX CONCURRENTLY in a migrate.SQLCreateIndexConcurrently step",
		ix.GetIdxname(), displayName(rel))
}

func (m *migrationState) alterTable(at *pgparse.AlterTableStmt, s stmt) {
	rel := at.GetRelation()
	if !m.existing(rel) {
		return
	}
	for _, c := range at.GetCmds() {
		cmd := c.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		if cmd.GetSubtype() != pgparse.AlterTableType_AT_ValidateConstraint {
			m.takesExclusive(s)
		}
		m.alterCmd(rel, cmd, s)
	}
}

func (m *migrationState) alterCmd(rel *pgparse.RangeVar, cmd *pgparse.AlterTableCmd, s stmt) {
	table := displayName(rel)
	switch cmd.GetSubtype() {
	case pgparse.AlterTableType_AT_AddColumn:
		if why := rewritingColumn(cmd.GetDef().GetColumnDef()); why != "" {
			m.fl.add(s.pos, m.version, RewritingAddColumn,
				"ADD COLUMN %s to the existing table %s with %s rewrites the table under an ACCESS EXCLUSIVE lock: add the column without it, then fill it in batches",
				cmd.GetDef().GetColumnDef().GetColname(), table, why)
		}
	case pgparse.AlterTableType_AT_AlterColumnType:
		m.fl.add(s.pos, m.version, ColumnTypeChange,
			"ALTER COLUMN %s TYPE on the existing table %s rewrites the table and its indexes under an ACCESS EXCLUSIVE lock unless the types are binary-coercible, and a cast may fail on its rows",
			cmd.GetName(), table)
	case pgparse.AlterTableType_AT_SetNotNull:
		if !m.checkedNotNull[tableKey(rel)+"."+cmd.GetName()] {
			m.fl.add(s.pos, m.version, SetNotNullUnchecked,
				"SET NOT NULL on %s.%s scans the existing table under an ACCESS EXCLUSIVE lock: first ADD CONSTRAINT ... CHECK (%s IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it",
				table, cmd.GetName(), cmd.GetName())
		}
	case pgparse.AlterTableType_AT_AddConstraint:
		m.addConstraint(rel, cmd.GetDef().GetConstraint(), s)
	case pgparse.AlterTableType_AT_ValidateConstraint:
		if c, ok := m.notNullChecks[cmd.GetName()]; ok && c.table == tableKey(rel) {
			m.checkedNotNull[c.table+"."+c.column] = true
		}
	case pgparse.AlterTableType_AT_DropColumn:
		if !s.hazard {
			m.fl.add(s.pos, m.version, DataLossUnmarked,
				"DROP COLUMN %s.%s loses its data: mark the step with a // HAZARD comment above it once that is intended",
				table, cmd.GetName())
		}
	}
}

// addConstraint lints ADD CONSTRAINT on an existing table, and remembers
// CHECK (col IS NOT NULL) constraints for SET NOT NULL.
func (m *migrationState) addConstraint(rel *pgparse.RangeVar, c *pgparse.Constraint, s stmt) {
	if c == nil {
		return
	}
	table := displayName(rel)
	switch c.GetContype() {
	case pgparse.ConstrType_CONSTR_CHECK, pgparse.ConstrType_CONSTR_FOREIGN:
		if col := notNullColumn(c.GetRawExpr()); col != "" && c.GetContype() == pgparse.ConstrType_CONSTR_CHECK {
			m.notNullChecks[c.GetConname()] = notNullCheck{table: tableKey(rel), column: col}
			if !c.GetSkipValidation() {
				m.checkedNotNull[tableKey(rel)+"."+col] = true
			}
		}
		if !c.GetSkipValidation() {
			kind := "CHECK"
			if c.GetContype() == pgparse.ConstrType_CONSTR_FOREIGN {
				kind = "FOREIGN KEY"
			}
			m.fl.add(s.pos, m.version, ConstraintValidated,
				"ADD %s %s to the existing table %s without NOT VALID scans the table while holding its lock: add it NOT VALID, then VALIDATE CONSTRAINT in a later statement",
				kind, c.GetConname(), table)
		}
	case pgparse.ConstrType_CONSTR_PRIMARY, pgparse.ConstrType_CONSTR_UNIQUE:
		if c.GetIndexname() == "" {
			m.fl.add(s.pos, m.version, IndexNotConcurrent,
				"ADD CONSTRAINT %s on the existing table %s builds its index under an ACCESS EXCLUSIVE lock: build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX",
				c.GetConname(), table)
		}
	}
}

// notNullColumn returns col when expr is `col IS NOT NULL`.
func notNullColumn(expr *pgparse.Node) string {
	nt := expr.GetNullTest()
	if nt == nil || nt.GetNulltesttype() != pgparse.NullTestType_IS_NOT_NULL {
		return ""
	}
	fields := nt.GetArg().GetColumnRef().GetFields()
	if len(fields) != 1 {
		return ""
	}
	return fields[0].GetString_().GetSval()
}

// volatileFunctions are the built-in and extension functions whose
// default PostgreSQL evaluates once per row, rewriting the table.
var volatileFunctions = map[string]bool{
	"random": true, "gen_random_uuid": true, "uuid_generate_v1": true, "uuid_generate_v1mc": true,
	"uuid_generate_v4": true, "clock_timestamp": true, "timeofday": true, "nextval": true,
	"random_normal": true,
}

// serialTypes get a nextval default.
var serialTypes = map[string]bool{"serial": true, "bigserial": true, "smallserial": true, "serial2": true, "serial4": true, "serial8": true}

// rewritingColumn says why adding the column rewrites the table, or "".
func rewritingColumn(col *pgparse.ColumnDef) string {
	if col == nil {
		return ""
	}
	if names := col.GetTypeName().GetNames(); len(names) > 0 {
		if t := names[len(names)-1].GetString_().GetSval(); serialTypes[t] {
			return "the type " + t + " (a nextval default)"
		}
	}
	for _, n := range col.GetConstraints() {
		c := n.GetConstraint()
		switch c.GetContype() {
		case pgparse.ConstrType_CONSTR_DEFAULT:
			if fn := volatileCall(c.GetRawExpr()); fn != "" {
				return "the volatile default " + fn + "()"
			}
		case pgparse.ConstrType_CONSTR_IDENTITY:
			return "an identity"
		case pgparse.ConstrType_CONSTR_GENERATED:
			return "a stored generated expression"
		}
	}
	return ""
}

// volatileCall returns the name of a volatile function called in expr.
func volatileCall(expr *pgparse.Node) string {
	if expr == nil {
		return ""
	}
	found := ""
	pgparse.WalkMessages(expr.ProtoReflect(), func(msg protoreflect.Message) {
		fc, ok := msg.Interface().(*pgparse.FuncCall)
		if !ok || found != "" {
			return
		}
		names := fc.GetFuncname()
		if len(names) == 0 {
			return
		}
		if name := names[len(names)-1].GetString_().GetSval(); volatileFunctions[name] {
			found = name
		}
	})
	return found
}

func (m *migrationState) drop(d *pgparse.DropStmt, s stmt) {
	if d.GetRemoveType() != pgparse.ObjectType_OBJECT_TABLE {
		return
	}
	for _, obj := range d.GetObjects() {
		var parts []string
		for _, item := range obj.GetList().GetItems() {
			parts = append(parts, item.GetString_().GetSval())
		}
		rv := &pgparse.RangeVar{}
		switch len(parts) {
		case 1:
			rv.Relname = parts[0]
		case 2:
			rv.Schemaname, rv.Relname = parts[0], parts[1]
		default:
			continue
		}
		if !m.existing(rv) {
			continue
		}
		m.takesExclusive(s)
		if !s.hazard {
			m.fl.add(s.pos, m.version, DataLossUnmarked,
				"DROP TABLE %s loses its rows: mark the step with a // HAZARD comment above it once that is intended", displayName(rv))
		}
	}
}

// set notes a SET or RESET of lock_timeout that turns it off.
func (m *migrationState) set(v *pgparse.VariableSetStmt, s stmt) {
	if v.GetName() != "lock_timeout" {
		return
	}
	how := ""
	switch v.GetKind() {
	case pgparse.VariableSetKind_VAR_SET_VALUE:
		for _, a := range v.GetArgs() {
			c := a.GetAConst()
			zeroInt := c.GetIval() != nil && c.GetIval().GetIval() == 0
			zeroText := c.GetSval() != nil && isZeroDuration(c.GetSval().GetSval())
			if zeroInt || zeroText {
				how = "SET lock_timeout = 0"
			}
		}
	case pgparse.VariableSetKind_VAR_SET_DEFAULT, pgparse.VariableSetKind_VAR_RESET:
		how = "RESET lock_timeout (the server's default, usually 0)"
	}
	if how != "" && m.lockTimeoutOff.Line == 0 {
		m.lockTimeoutOff, m.lockTimeoutHow = s.pos, how
	}
}

// isZeroDuration reports whether a lock_timeout value is zero ("0",
// "0ms", "0s", ...).
func isZeroDuration(v string) bool {
	num := strings.TrimSpace(strings.TrimRight(strings.ToLower(strings.TrimSpace(v)), "abcdefghijklmnopqrstuvwxyz"))
	f, err := strconv.ParseFloat(num, 64)
	return err == nil && f == 0
}

// finish reports, once every step is read, a migration that turns
// lock_timeout off and takes ACCESS EXCLUSIVE locks.
func (m *migrationState) finish() {
	if m.lockTimeoutOff.Line == 0 || m.exclusive.Line == 0 {
		return
	}
	m.fl.add(m.lockTimeoutOff, m.version, LockTimeoutOff,
		"%s turns the runner's lock_timeout off in a migration that takes ACCESS EXCLUSIVE locks (line %d): a statement waiting for its lock queues every query on the table behind it",
		m.lockTimeoutHow, m.exclusive.Line)
}
