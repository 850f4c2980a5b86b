package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// conversion is how the values of a column reach its new type, in ALTER
// COLUMN ... TYPE and in the copy of a rebuilt table.
//
// PostgreSQL converts values by itself (without USING) where an assignment
// or implicit cast exists. That is preferred: an explicit cast may change a
// value silently where the assignment cast refuses it ('a long text' cut to
// varchar(3), a bit string cut or padded). USING is written only when no
// such cast exists (text to integer, enum to another enum), and those
// explicit conversions fail on values they cannot convert.
//
// Some conversions change values silently whichever way they run: numeric
// to integer rounds, timestamptz to date drops the time of day, a smaller
// scale or precision rounds, a shorter varchar drops trailing spaces. Those
// are checked before converting, and the plan fails loudly, naming a value,
// rather than altering it (guard). The few that cannot be checked by a
// round trip (a timestamp to the time of day) carry a deletes-data hazard.
type conversion struct {
	// using is the explicit conversion of the old value, or "" when
	// PostgreSQL's assignment cast applies.
	using string
	// guard fails when a value would change; nil when none can.
	guard *Statement
	// hazards name what the conversion risks.
	hazards []Hazard
}

// castUse says how a statement converts a value.
type castUse int

const (
	// byAssignment lets PostgreSQL convert by assignment (ALTER COLUMN
	// ... TYPE, INSERT ... SELECT); an explicit cast is written only where
	// no assignment cast exists.
	byAssignment castUse = iota
	// byExplicitCast always casts explicitly, as an attribute inside
	// ROW(...)::type must be. An explicit cast cuts or pads strings and
	// bit strings where an assignment fails; those are guarded too.
	byExplicitCast
)

// storedValue is one stored value a plan converts: a column, or an
// attribute of a composite column.
type storedValue struct {
	table schema.QName
	// name is the column, or "column.attribute", unquoted, for messages.
	name string
	// expr is the old value in SQL, target its UPDATE SET target.
	expr, target string
	// rows is the FROM list expr is read from; the table when empty.
	rows string
	// via is an intermediate cast ("text::" for enums).
	via string
	// fromType and toType are spelled as in the current and the desired
	// catalog.
	fromType, toType string
}

// typeNames names the old and the new type in messages: as spelled, or
// by the resolved types from and to when the spelling stays (a rebuilt
// domain).
func (v storedValue) typeNames(from, to string) (string, string) {
	if v.fromType == v.toType {
		return from, to
	}
	return v.fromType, v.toType
}

// convertColumn plans the conversion of column oc of table q to c's type.
func (d *differ) convertColumn(q schema.QName, oc, c *schema.Column) conversion {
	if cv, ok := d.hintedConversion(q, oc, c); ok {
		return cv
	}
	col := schema.Ident(c.Name)
	return d.convertValue(storedValue{table: q, name: c.Name, expr: col, target: col,
		via: d.castVia(oc), fromType: oc.Type, toType: c.Type}, byAssignment)
}

// convertValue plans the conversion of a stored value to its new type.
// With byExplicitCast, using is always set.
func (d *differ) convertValue(v storedValue, use castUse) conversion {
	var cv conversion
	from, to := d.resolveType(d.from, v.fromType), d.resolveType(d.to, v.toType)
	assignable := d.assignable(from, to)
	if !assignable || use == byExplicitCast {
		cv.using = v.expr + "::" + v.via + v.toType
	}
	if !assignable {
		cv.hazards = append(cv.hazards, hazard(HazardMayFail, "values of %s.%s that do not convert to %s make this fail", v.table, v.name, v.toType))
	}
	fromName, toName := v.typeNames(from, to)
	loss := valueLoss(from, to)
	if loss.what == "" && cv.using != "" {
		loss = explicitLoss(from, to)
	}
	switch {
	case loss.what == "":
	case loss.checked:
		cv.guard = d.conversionGuard(v, from, to, loss.what)
	default:
		cv.hazards = append(cv.hazards, hazard(HazardDeletesData, "converting %s.%s from %s to %s %s", v.table, v.name, fromName, toName, loss.what))
	}
	return cv
}

// conversionGuard returns the statement that fails, naming a value, when
// converting v to its new type would change a value: it compares each
// value with its round trip through the new type. The table is locked
// first, so that no row changes between the check and the conversion.
func (d *differ) conversionGuard(v storedValue, from, to, what string) *Statement {
	fromName, toName := v.typeNames(from, to)
	fe, dims := splitArray(from)
	te, _ := splitArray(to)
	fb, _ := typeName(fe)
	tb, _ := typeName(te)
	// Values are compared in the old type, or in the new one when the old
	// one is text (whose spelling of a number is not canonical), or as
	// text when the new one is (a cut enum label is no label).
	cmpType := castName(fb)
	switch {
	case textual(fb) && !textual(tb):
		cmpType = castName(tb)
	case textual(tb) && !textual(fb):
		cmpType = "text"
	}
	cmpType += strings.Repeat("[]", dims)
	converted := "(" + v.expr + "::" + v.via + v.toType + ")"
	// RAISE takes % for each value and %% for a percent sign.
	const value = "\x00"
	msg := strings.ReplaceAll(fmt.Sprintf("converting %s.%s from %s to %s would change the value %s to %s (it %s)",
		v.table, v.name, fromName, toName, value, value, what), "%", "%%")
	msg = strings.ReplaceAll(msg, value, "%")
	rows := v.rows
	if rows == "" {
		rows = v.table.Quoted()
	}
	hint := fmt.Sprintf("Change those values first (for example with UPDATE %s SET %s = ...), so that they convert unchanged.", v.table.Quoted(), v.target)
	body := fmt.Sprintf(`DECLARE
    old_value text;
    new_value text;
BEGIN
    LOCK TABLE %s IN ACCESS EXCLUSIVE MODE;
    SELECT pg_catalog.quote_nullable(%s::text), pg_catalog.quote_nullable(%s::text) INTO old_value, new_value FROM %s
        WHERE %s::%s IS DISTINCT FROM %s::%s LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION %s, old_value, new_value USING HINT = %s;
    END IF;
END`, v.table.Quoted(), v.expr, converted, rows, converted, cmpType, v.expr, cmpType,
		schema.Literal(msg), schema.Literal(hint))
	st := stmt(doBlock(body), hazard(HazardMayFail, "fails, changing nothing, if converting a value of %s.%s from %s to %s would change it (it %s)", v.table, v.name, fromName, toName, what))
	return &st
}

// doBlock wraps a PL/pgSQL body in DO with a dollar quote the body does not
// contain.
func doBlock(body string) string {
	tag := "$guard$"
	for i := 1; strings.Contains(body, tag); i++ {
		tag = fmt.Sprintf("$guard%d$", i)
	}
	return "DO " + tag + "\n" + body + "\n" + tag
}

// resolveType replaces a domain (or an array of one) by its base type.
func (d *differ) resolveType(cat *schema.Catalog, t string) string {
	for range 16 { // domains over domains, within reason
		elem, dims := splitArray(t)
		q, err := schema.ParseQName(elem, "")
		if err != nil || q.Schema == "" {
			return t
		}
		dom, ok := cat.Domains[q]
		if !ok {
			return t
		}
		t = dom.BaseType + strings.Repeat("[]", dims)
	}
	return t
}

// assignable reports whether PostgreSQL converts values of type from to
// type to by itself, as when storing a value into a column (an assignment
// or implicit cast, a change of modifiers only, or the conversion through
// text that every type has to a string type). Both are resolved types.
func (d *differ) assignable(from, to string) bool {
	if from == to {
		return true
	}
	fe, fdims := splitArray(from)
	te, tdims := splitArray(to)
	fb, _ := typeName(fe)
	tb, _ := typeName(te)
	if fdims != tdims {
		// Only a string type takes a whole array, through its text.
		return tdims == 0 && stringType(tb)
	}
	if fb == tb {
		return true
	}
	if ctx, ok := d.castContext(fb, tb); ok {
		return ctx != schema.CastExplicit
	}
	return stringType(tb)
}

// castContext looks a cast up in the catalogs' pg_cast.
func (d *differ) castContext(from, to string) (schema.CastContext, bool) {
	p := schema.TypePair{From: from, To: to}
	if ctx, ok := d.to.Casts[p]; ok {
		return ctx, true
	}
	ctx, ok := d.from.Casts[p]
	return ctx, ok
}

// loss says whether a conversion may change a value silently.
type loss struct {
	// what it does to a value ("rounds ..."), or "" when it keeps every
	// value or fails loudly on those it cannot keep.
	what string
	// checked is set when a round trip through the new type shows the
	// values that change.
	checked bool
}

var (
	integerTypes = []string{"smallint", "integer", "bigint"}
	floatTypes   = []string{"real", "double precision"}
	timeTypes    = []string{"time without time zone", "time with time zone", "timestamp without time zone", "timestamp with time zone"}
)

// valueLoss classifies a conversion between resolved types (array
// elements convert one by one).
func valueLoss(from, to string) loss {
	if from == to {
		return loss{}
	}
	fe, _ := splitArray(from)
	te, _ := splitArray(to)
	fb, fm := typeName(fe)
	tb, tm := typeName(te)
	in := func(t string, set ...string) bool { return slices.Contains(set, t) }
	checked := func(format string, args ...any) loss { return loss{what: fmt.Sprintf(format, args...), checked: true} }
	switch {
	case in(tb, integerTypes...) && in(fb, append([]string{"numeric"}, floatTypes...)...):
		return checked("rounds fractions to whole numbers")
	case tb == "real" && in(fb, "numeric", "double precision", "integer", "bigint"),
		tb == "double precision" && in(fb, "numeric", "bigint"),
		tb == "numeric" && in(fb, floatTypes...):
		return checked("rounds to the significant digits %s keeps", tb)
	case tb == "money" && fb == "numeric":
		return checked("rounds to the currency's fraction digits")
	case tb == "date" && in(fb, timeTypes[2:]...):
		return checked("drops the time of day")
	case tb == "time without time zone" && in(fb, "interval", "time with time zone"):
		return checked("drops days or the time zone offset")
	case in(tb, timeTypes[:2]...) && in(fb, timeTypes[2:]...):
		return loss{what: "drops the date, keeping the time of day"}
	case in(tb, "bit", "bit varying") && in(fb, integerTypes...):
		return checked("keeps only as many low-order bits as %s holds", te)
	case tb == "cidr" && fb == "inet":
		return checked("zeroes the host bits")
	case in(tb, `"char"`, "name") && textual(fb):
		return checked("cuts the text to what %s holds", tb)
	case tb == "jsonb" && fb == "json":
		return loss{what: "keeps only the last value of keys that appear more than once in an object"}
	}
	if tm == "" || fb == tb && fm == tm {
		return loss{}
	}
	switch {
	case tb == "numeric":
		_, ts, _ := strings.Cut(tm, ",")
		_, fs, _ := strings.Cut(fm, ",")
		if in(fb, integerTypes...) || fb == "numeric" && fm != "" && atoi(fs) <= atoi(ts) {
			return loss{}
		}
		return checked("rounds to %d digit(s) after the decimal point", atoi(ts))
	case in(tb, timeTypes...):
		if fb == "date" || in(fb, timeTypes...) && fm != "" && atoi(fm) <= atoi(tm) {
			return loss{}
		}
		return checked("rounds to %d fractional digits of a second", atoi(tm))
	case tb == "interval":
		return checked("rounds or drops the fields %s does not hold", te)
	case in(tb, "character varying", "character") && textual(fb):
		// Between character types the trailing spaces that PostgreSQL
		// drops without a word do not count.
		if in(fb, "character varying", "character") && fm != "" && atoi(fm) <= atoi(tm) || fb == "character" && tb == "character" {
			return loss{}
		}
		return checked("cuts values longer than %d characters", atoi(tm))
	}
	return loss{}
}

// explicitLoss classifies what an explicit cast between resolved types
// does to values beyond valueLoss: where an assignment fails on a value
// too long for a string or bit string type, an explicit cast cuts it (or
// pads a bit string to its length).
func explicitLoss(from, to string) loss {
	fe, _ := splitArray(from)
	te, _ := splitArray(to)
	fb, fm := typeName(fe)
	tb, tm := typeName(te)
	if tm == "" || fb == tb && fm == tm {
		return loss{}
	}
	switch tb {
	case "character varying", "character":
		if !textual(fb) {
			return loss{what: fmt.Sprintf("cuts values longer than %d characters", atoi(tm)), checked: true}
		}
	case "bit", "bit varying":
		if tb == "bit varying" && (fb == "bit" || fb == "bit varying") && fm != "" && atoi(fm) <= atoi(tm) {
			return loss{}
		}
		return loss{what: fmt.Sprintf("cuts or pads bit strings to %d bits", atoi(tm)), checked: true}
	}
	return loss{}
}

// splitArray splits "integer[][]" into "integer" and 2.
func splitArray(t string) (string, int) {
	dims := 0
	for strings.HasSuffix(t, "[]") {
		t = strings.TrimSuffix(t, "[]")
		dims++
	}
	return t, dims
}

// typeName splits a type without array brackets into its name as pg_cast
// knows it (format_type without modifiers) and its modifiers:
// "numeric(10,2)" is "numeric" and "10,2", "timestamp(3) with time zone"
// "timestamp with time zone" and "3", "interval day to second" "interval"
// and "day to second".
func typeName(t string) (name, mods string) {
	if rest, ok := strings.CutPrefix(t, "interval"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '(') {
		return "interval", strings.TrimSpace(rest)
	}
	return baseType(t)
}

// stringType reports the types every value converts to through its text
// by assignment.
func stringType(name string) bool {
	return name == "text" || name == "character varying" || name == "character" || name == "name"
}

// textual reports the types whose values are text.
func textual(name string) bool { return stringType(name) }

// castName is the name to cast to for a type without modifiers: bare
// "character" and "bit" would mean a length of 1.
func castName(name string) string {
	switch name {
	case "character":
		return "pg_catalog.bpchar"
	case "bit":
		return `pg_catalog."bit"` // bare bit is bit(1)
	}
	return name
}

// typeVia returns the intermediate cast for converting values of type t
// (of the current catalog), as castVia does for a column: enums convert to
// other types only through text.
func (d *differ) typeVia(t string) string {
	elem, dims := splitArray(t)
	q, err := schema.ParseQName(elem, "")
	if err != nil || q.Schema == "" {
		return ""
	}
	if _, ok := d.from.Enums[q]; !ok {
		return ""
	}
	if dims > 0 {
		return "text[]::"
	}
	return "text::"
}
