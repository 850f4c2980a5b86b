package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// ids builds object identities.
func schemaID(name string) schema.ID { return schema.ID{Kind: schema.KindSchema, Name: name} }
func tableID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindTable, Schema: q.Schema, Name: q.Name}
}
func columnID(t schema.QName, col string) schema.ID {
	return schema.ID{Kind: schema.KindColumn, Schema: t.Schema, Table: t.Name, Name: col}
}
func identityID(t schema.QName, col string) schema.ID {
	return schema.ID{Kind: schema.KindIdentity, Schema: t.Schema, Table: t.Name, Name: col}
}
func constraintID(t schema.QName, name string) schema.ID {
	return schema.ID{Kind: schema.KindConstraint, Schema: t.Schema, Table: t.Name, Name: name}
}
func indexID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindIndex, Schema: q.Schema, Name: q.Name}
}
func sequenceID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindSequence, Schema: q.Schema, Name: q.Name}
}

// ownershipID identifies a sequence's OWNED BY link, set after the owning
// column exists.
func ownershipID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindSequenceOwnership, Schema: q.Schema, Name: q.Name}
}

func enumID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindEnum, Schema: q.Schema, Name: q.Name}
}

func stmt(sql string, hazards ...Hazard) Statement {
	return Statement{SQL: sql, Hazards: hazards}
}

func hazard(kind HazardKind, format string, args ...any) Hazard {
	return Hazard{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// commentStmt renders COMMENT ON for any object; an empty comment removes it.
func commentStmt(target, comment string) Statement {
	val := "NULL"
	if comment != "" {
		val = schema.Literal(comment)
	}
	return stmt(fmt.Sprintf("COMMENT ON %s IS %s", target, val))
}

// typeLimits returns the range of a sequence's integer type.
func typeLimits(typ string) (lo, hi int64) {
	switch typ {
	case "smallint":
		return -32768, 32767
	case "integer":
		return -2147483648, 2147483647
	}
	return -9223372036854775808, 9223372036854775807
}

// defaultBounds returns what PostgreSQL picks for MINVALUE and MAXVALUE when
// they are not given.
func defaultBounds(o schema.SequenceOptions) (lo, hi int64) {
	tlo, thi := typeLimits(o.Type)
	if o.Increment > 0 {
		return 1, thi
	}
	return tlo, -1
}

// sequenceOptions renders the options that differ from PostgreSQL's
// defaults, for CREATE SEQUENCE and GENERATED ... AS IDENTITY.
func sequenceOptions(o schema.SequenceOptions, withType bool) string {
	var parts []string
	if withType && o.Type != "bigint" {
		parts = append(parts, "AS "+o.Type)
	}
	if o.Increment != 1 {
		parts = append(parts, fmt.Sprintf("INCREMENT BY %d", o.Increment))
	}
	lo, hi := defaultBounds(o)
	if o.Min != lo {
		parts = append(parts, fmt.Sprintf("MINVALUE %d", o.Min))
	}
	if o.Max != hi {
		parts = append(parts, fmt.Sprintf("MAXVALUE %d", o.Max))
	}
	start := o.Min
	if o.Increment < 0 {
		start = o.Max
	}
	if o.Start != start {
		parts = append(parts, fmt.Sprintf("START WITH %d", o.Start))
	}
	if o.Cache != 1 {
		parts = append(parts, fmt.Sprintf("CACHE %d", o.Cache))
	}
	if o.Cycle {
		parts = append(parts, "CYCLE")
	}
	return strings.Join(parts, " ")
}

// sequenceChanges renders the clauses of ALTER SEQUENCE (or ALTER COLUMN ...
// SET for identity columns, when identity is true) that turn from into to.
func sequenceChanges(from, to schema.SequenceOptions, identity bool) []string {
	var parts []string
	set := ""
	if identity {
		set = "SET "
	}
	typeChanged := from.Type != to.Type
	if typeChanged && !identity {
		parts = append(parts, "AS "+to.Type)
	}
	if from.Increment != to.Increment {
		parts = append(parts, fmt.Sprintf("%sINCREMENT BY %d", set, to.Increment))
	}
	if from.Min != to.Min || typeChanged {
		parts = append(parts, fmt.Sprintf("%sMINVALUE %d", set, to.Min))
	}
	if from.Max != to.Max || typeChanged {
		parts = append(parts, fmt.Sprintf("%sMAXVALUE %d", set, to.Max))
	}
	if from.Start != to.Start {
		parts = append(parts, fmt.Sprintf("%sSTART WITH %d", set, to.Start))
	}
	if from.Cache != to.Cache {
		parts = append(parts, fmt.Sprintf("%sCACHE %d", set, to.Cache))
	}
	if from.Cycle != to.Cycle {
		if to.Cycle {
			parts = append(parts, set+"CYCLE")
		} else {
			parts = append(parts, set+"NO CYCLE")
		}
	}
	return parts
}

// columnDefinition renders a column as in CREATE TABLE / ADD COLUMN.
func columnDefinition(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(schema.Ident(c.Name) + " " + c.Type)
	if o := schema.RenderFdwOptions(c.FdwOptions); o != "" {
		b.WriteString(" " + o)
	}
	if c.Collation != nil {
		b.WriteString(" COLLATE " + schema.QualifiedIdent(c.Collation.Schema, c.Collation.Name))
	}
	switch {
	case c.Generated != "":
		b.WriteString(" GENERATED ALWAYS AS (" + c.Generated + ") STORED")
	case c.Identity != schema.IdentityNone:
		b.WriteString(" " + identityClause(c))
	}
	if c.Default != "" {
		b.WriteString(" DEFAULT " + c.Default)
	}
	if c.NotNull && c.Identity == schema.IdentityNone {
		b.WriteString(" NOT NULL")
	}
	return b.String()
}

func identityClause(c *schema.Column) string {
	s := "GENERATED ALWAYS AS IDENTITY"
	if c.Identity == schema.IdentityByDefault {
		s = "GENERATED BY DEFAULT AS IDENTITY"
	}
	var opts []string
	if c.IdentitySequenceName != nil {
		opts = append(opts, "SEQUENCE NAME "+c.IdentitySequenceName.Quoted())
	}
	if c.IdentitySequence != nil {
		if o := sequenceOptions(*c.IdentitySequence, false); o != "" {
			opts = append(opts, o)
		}
	}
	if len(opts) > 0 {
		s += " (" + strings.Join(opts, " ") + ")"
	}
	return s
}

// identitySequenceName returns the (quoted, unqualified) name of the
// identity sequence of column c of table t.
func identitySequenceName(t schema.QName, c *schema.Column) string {
	parts := schema.SplitName(identitySequence(t, c))
	return schema.Ident(parts[len(parts)-1])
}

// identitySequence returns the schema-qualified name of the identity
// sequence of column c of table t.
func identitySequence(t schema.QName, c *schema.Column) string {
	return identitySequenceQName(t, c).Quoted()
}

// identitySequenceQName returns the name of the identity sequence of
// column c of table t, unquoted.
func identitySequenceQName(t schema.QName, c *schema.Column) schema.QName {
	if c.IdentitySequenceName != nil {
		return *c.IdentitySequenceName
	}
	return schema.QName{Schema: t.Schema, Name: schema.IdentitySequenceDefaultName(t.Name, c.Name)}
}

// catchUpIdentity returns the statement that moves the identity sequence of
// column c of table t past the values the column already holds (see
// catchUpSequence): a column that becomes an identity column, from a serial
// one or from plain values, gets a new sequence at its start.
func catchUpIdentity(t schema.QName, c *schema.Column) Statement {
	opts := schema.SequenceOptions{Start: 1, Increment: 1}
	if c.IdentitySequence != nil {
		opts = *c.IdentitySequence
	}
	seq := fmt.Sprintf("pg_catalog.pg_get_serial_sequence(%s, %s)", schema.Literal(t.Quoted()), schema.Literal(c.Name))
	return catchUpSequence(seq, t, c.Name, opts)
}

// catchUpSequence returns the statement that moves a sequence created by the
// plan for a column that already holds values (seq is an SQL expression for
// it) past those values, so that the next value it gives is not one in use.
// The sequence is set to the largest value (the smallest for a descending
// one) only when that value is at or past its start; an empty table leaves
// it where it is.
func catchUpSequence(seq string, t schema.QName, col string, opts schema.SequenceOptions) Statement {
	agg, cmpOp := "max", ">="
	if opts.Increment < 0 {
		agg, cmpOp = "min", "<="
	}
	return stmt(fmt.Sprintf("SELECT pg_catalog.setval(%s, v) FROM (SELECT %s(%s)::bigint AS v FROM %s) m WHERE v %s %d",
		seq, agg, schema.Ident(col), t.Quoted(), cmpOp, opts.Start))
}
