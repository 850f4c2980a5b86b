package diff

import (
	"maps"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// renameSchemaIn returns a copy of cat as it reads after ALTER SCHEMA old
// RENAME TO new: every object of the schema carries the new schema name,
// and so do the references to them in SQL text that PostgreSQL prints from
// object identifiers (types, defaults, view and trigger definitions,
// constraint and index definitions), which follow the objects. The bodies
// of functions are source text and keep naming the old schema: the desired
// state's body, if it names the new one, replaces them.
func renameSchemaIn(cat *schema.Catalog, old, new string) *schema.Catalog {
	r := schemaRenamer{old: old, new: new}
	out := *cat
	out.Schemas = maps.Clone(cat.Schemas)
	if s := out.Schemas[old]; s != nil {
		ns := *s
		ns.Name = new
		delete(out.Schemas, old)
		out.Schemas[new] = &ns
	}
	out.Extensions = map[string]*schema.Extension{}
	for k, e := range cat.Extensions {
		ne := *e
		ne.Schema = r.name(e.Schema)
		out.Extensions[k] = &ne
	}
	out.Enums = map[schema.QName]*schema.Enum{}
	for _, e := range cat.Enums {
		ne := *e
		ne.QName = r.qname(e.QName)
		out.Enums[ne.QName] = &ne
	}
	out.Sequences = map[schema.QName]*schema.Sequence{}
	for _, s := range cat.Sequences {
		ns := *s
		ns.QName = r.qname(s.QName)
		if s.OwnedBy != nil {
			ns.OwnedBy = &schema.ColumnRef{Table: r.qname(s.OwnedBy.Table), Column: s.OwnedBy.Column}
		}
		out.Sequences[ns.QName] = &ns
	}
	out.Tables = map[schema.QName]*schema.Table{}
	for _, t := range cat.Tables {
		nt := r.table(t)
		out.Tables[nt.QName] = nt
	}
	out.Views = map[schema.QName]*schema.View{}
	for _, v := range cat.Views {
		nv := *v
		nv.QName = r.qname(v.QName)
		nv.Definition = r.text(v.Definition)
		nv.Columns = slices.Clone(v.Columns)
		for i, c := range nv.Columns {
			nv.Columns[i].Type, nv.Columns[i].Default = r.text(c.Type), r.text(c.Default)
		}
		nv.Indexes = r.indexes(v.Indexes)
		nv.Triggers = r.triggers(v.Triggers)
		nv.Rules = r.rules(v.Rules)
		nv.Deps = r.ids(v.Deps)
		out.Views[nv.QName] = &nv
	}
	out.Functions = map[schema.ID]*schema.Function{}
	for _, f := range cat.Functions {
		nf := *f
		nf.Schema = r.name(f.Schema)
		nf.IdentityArgs, nf.Arguments, nf.Result = r.text(f.IdentityArgs), r.text(f.Arguments), r.text(f.Result)
		nf.Definition = r.functionDefinition(f)
		nf.Deps = r.ids(f.Deps)
		out.Functions[nf.ID()] = &nf
	}
	out.Domains = map[schema.QName]*schema.Domain{}
	for _, dm := range cat.Domains {
		nd := *dm
		nd.QName = r.qname(dm.QName)
		nd.BaseType, nd.Default = r.text(dm.BaseType), r.text(dm.Default)
		nd.Collation = r.qnamePtr(dm.Collation)
		nd.Constraints = make([]*schema.DomainConstraint, len(dm.Constraints))
		for i, c := range dm.Constraints {
			nc := *c
			nc.Definition = r.text(c.Definition)
			nd.Constraints[i] = &nc
		}
		nd.Deps = r.ids(dm.Deps)
		out.Domains[nd.QName] = &nd
	}
	out.Composites = map[schema.QName]*schema.CompositeType{}
	for _, ct := range cat.Composites {
		nc := *ct
		nc.QName = r.qname(ct.QName)
		nc.Attributes = make([]*schema.Attribute, len(ct.Attributes))
		for i, a := range ct.Attributes {
			na := *a
			na.Type, na.Collation = r.text(a.Type), r.qnamePtr(a.Collation)
			nc.Attributes[i] = &na
		}
		nc.Deps = r.ids(ct.Deps)
		out.Composites[nc.QName] = &nc
	}
	out.Ranges = map[schema.QName]*schema.RangeType{}
	for _, rt := range cat.Ranges {
		nr := *rt
		nr.QName = r.qname(rt.QName)
		nr.Subtype, nr.Opclass, nr.Canonical = r.text(rt.Subtype), r.text(rt.Opclass), r.text(rt.Canonical)
		nr.SubtypeDiff, nr.Multirange = r.text(rt.SubtypeDiff), r.text(rt.Multirange)
		nr.Collation = r.qnamePtr(rt.Collation)
		nr.Deps = r.ids(rt.Deps)
		out.Ranges[nr.QName] = &nr
	}
	out.EventTriggers = map[string]*schema.EventTrigger{}
	for k, e := range cat.EventTriggers {
		ne := *e
		ne.Function = r.id(e.Function)
		out.EventTriggers[k] = &ne
	}
	out.Collations = map[schema.QName]*schema.Collation{}
	for _, c := range cat.Collations {
		nc := *c
		nc.QName = r.qname(c.QName)
		out.Collations[nc.QName] = &nc
	}
	out.DefaultPrivileges = map[schema.DefaultACL][]schema.Grant{}
	for k, g := range cat.DefaultPrivileges {
		k.Schema = r.name(k.Schema)
		out.DefaultPrivileges[k] = g
	}
	out.Unsupported = r.ids(cat.Unsupported)
	return &out
}

// schemaRenamer rewrites names and SQL text for a schema rename.
type schemaRenamer struct{ old, new string }

func (r schemaRenamer) name(s string) string {
	if s == r.old {
		return r.new
	}
	return s
}

func (r schemaRenamer) qname(q schema.QName) schema.QName {
	q.Schema = r.name(q.Schema)
	return q
}

func (r schemaRenamer) qnamePtr(q *schema.QName) *schema.QName {
	if q == nil {
		return nil
	}
	n := r.qname(*q)
	return &n
}

func (r schemaRenamer) qnames(list []schema.QName) []schema.QName {
	out := slices.Clone(list)
	for i, q := range out {
		out[i] = r.qname(q)
	}
	return out
}

func (r schemaRenamer) id(id schema.ID) schema.ID {
	if id.Kind == schema.KindSchema {
		id.Name = r.name(id.Name)
	}
	id.Schema = r.name(id.Schema)
	id.Args = r.text(id.Args)
	return id
}

func (r schemaRenamer) ids(list []schema.ID) []schema.ID {
	out := slices.Clone(list)
	for i, id := range out {
		out[i] = r.id(id)
	}
	return out
}

// text rewrites the schema qualifier old to new in SQL printed by
// PostgreSQL.
func (r schemaRenamer) text(sql string) string { return requalify(sql, r.old, r.new) }

// functionDefinition rewrites a function's definition around its body:
// the body is source text, which a schema rename leaves alone.
func (r schemaRenamer) functionDefinition(f *schema.Function) string {
	if f.Body == "" {
		return r.text(f.Definition)
	}
	i := strings.Index(f.Definition, f.Body)
	if i < 0 {
		return r.text(f.Definition)
	}
	end := i + len(f.Body)
	return r.text(f.Definition[:i]) + f.Body + r.text(f.Definition[end:])
}

func (r schemaRenamer) table(t *schema.Table) *schema.Table {
	nt := copyTable(t)
	nt.QName = r.qname(t.QName)
	for i, c := range nt.Columns {
		nc := *c
		nc.Type, nc.Default, nc.Generated = r.text(c.Type), r.text(c.Default), r.text(c.Generated)
		nc.TypeDeps, nc.SequenceDeps, nc.Deps = r.qnames(c.TypeDeps), r.qnames(c.SequenceDeps), r.ids(c.Deps)
		nc.Collation = r.qnamePtr(c.Collation)
		nc.IdentitySequenceName = r.qnamePtr(c.IdentitySequenceName)
		nt.Columns[i] = &nc
	}
	for _, c := range nt.Constraints {
		c.Definition = r.text(c.Definition)
		c.References = r.qnamePtr(c.References)
		c.Deps = r.ids(c.Deps)
	}
	nt.Indexes = r.indexes(t.Indexes)
	nt.Triggers = r.triggers(t.Triggers)
	nt.Rules = r.rules(t.Rules)
	nt.Policies = make([]*schema.Policy, len(t.Policies))
	for i, p := range t.Policies {
		np := *p
		np.Table = r.qname(p.Table)
		np.Using, np.Check = r.text(p.Using), r.text(p.Check)
		np.Deps = r.ids(p.Deps)
		nt.Policies[i] = &np
	}
	nt.Statistics = make([]*schema.Statistics, len(t.Statistics))
	for i, s := range t.Statistics {
		ns := *s
		ns.QName, ns.Table = r.qname(s.QName), r.qname(s.Table)
		ns.Definition = r.text(s.Definition)
		ns.Deps = r.ids(s.Deps)
		nt.Statistics[i] = &ns
	}
	nt.PartitionOf = r.qnamePtr(t.PartitionOf)
	nt.PartitionBound = r.text(t.PartitionBound)
	nt.AttachedIndexes = nil
	for _, a := range t.AttachedIndexes {
		na := *a
		na.Parent = r.qname(a.Parent)
		na.Definition = r.text(a.Definition)
		nt.AttachedIndexes = append(nt.AttachedIndexes, &na)
	}
	nt.Inherits = r.qnames(t.Inherits)
	return nt
}

func (r schemaRenamer) indexes(list []*schema.Index) []*schema.Index {
	out := make([]*schema.Index, len(list))
	for i, ix := range list {
		nix := *ix
		nix.QName, nix.Table = r.qname(ix.QName), r.qname(ix.Table)
		editIndexExprs(&nix, r.text)
		nix.Deps = r.ids(ix.Deps)
		out[i] = &nix
	}
	return out
}

func (r schemaRenamer) triggers(list []*schema.Trigger) []*schema.Trigger {
	out := make([]*schema.Trigger, len(list))
	for i, t := range list {
		nt := *t
		nt.Table = r.qname(t.Table)
		nt.Definition = r.text(t.Definition)
		nt.Deps = r.ids(t.Deps)
		out[i] = &nt
	}
	return out
}

func (r schemaRenamer) rules(list []*schema.Rule) []*schema.Rule {
	out := make([]*schema.Rule, len(list))
	for i, ru := range list {
		nr := *ru
		nr.Table = r.qname(ru.Table)
		nr.Definition = r.text(ru.Definition)
		nr.Deps = r.ids(ru.Deps)
		out[i] = &nr
	}
	return out
}

// requalify replaces the schema qualifier old with new in SQL text printed
// by PostgreSQL.
func requalify(sql, old, new string) string {
	if !strings.Contains(sql, old) {
		return sql
	}
	prefix, repl := schema.Ident(old)+".", schema.Ident(new)
	return rewriteNames(sql, func(rest string) (int, string) {
		if strings.HasPrefix(rest, prefix) {
			return len(prefix) - 1, repl
		}
		return 0, ""
	})
}

// renameQualified replaces the qualified name old with new in SQL text
// printed by PostgreSQL.
func renameQualified(sql string, old, new schema.QName) string {
	if !strings.Contains(sql, old.Name) {
		return sql
	}
	oldText, repl := old.Quoted(), new.Quoted()
	return rewriteNames(sql, func(rest string) (int, string) {
		if n := len(oldText); strings.HasPrefix(rest, oldText) && (n == len(rest) || !isIdentByte(rest[n]) && rest[n] != '"' && rest[n] != '.') {
			return n, repl
		}
		return 0, ""
	})
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// rewriteNames copies SQL text printed by PostgreSQL and, at the start of
// each identifier that is not itself qualified, outside string literals
// but inside the literal of a reg* constant such as
// nextval('s.seq'::regclass), asks match whether a name to replace starts
// there: it returns the length of the text to replace and its replacement,
// or 0.
func rewriteNames(sql string, match func(rest string) (int, string)) string {
	var b strings.Builder
	for i := 0; i < len(sql); {
		c := sql[i]
		start := (c == '"' || isIdentByte(c)) && (i == 0 || !isIdentByte(sql[i-1]) && sql[i-1] != '.' && sql[i-1] != '"')
		if start {
			if n, repl := match(sql[i:]); n > 0 {
				b.WriteString(repl)
				i += n
				continue
			}
		}
		switch {
		case c == '\'':
			j := i + 1
			for j < len(sql) && (sql[j] != '\'' || j+1 < len(sql) && sql[j+1] == '\'') {
				if sql[j] == '\'' {
					j++
				}
				j++
			}
			end := min(j+1, len(sql))
			lit := sql[i:end]
			if strings.HasPrefix(sql[end:], "::reg") && len(lit) >= 2 {
				lit = schema.Literal(rewriteNames(literalValue(lit), match))
			}
			b.WriteString(lit)
			i = end
		case c == '"':
			// A quoted identifier, with "" standing for a quote.
			j := i + 1
			for j < len(sql) && (sql[j] != '"' || j+1 < len(sql) && sql[j+1] == '"') {
				if sql[j] == '"' {
					j++
				}
				j++
			}
			end := min(j+1, len(sql))
			b.WriteString(sql[i:end])
			i = end
		case isIdentByte(c):
			j := i
			for j < len(sql) && isIdentByte(sql[j]) {
				j++
			}
			b.WriteString(sql[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// relabelEnumLiterals replaces, in SQL text printed by PostgreSQL, the
// label old of enum typ with new where a string literal is cast to the
// enum ('old'::schema.type, as pg_get_expr prints a label). Defaults are
// compared as the server prints them, so a rename edits that text rather
// than a deparsed tree, whose spelling would differ from the server's.
func relabelEnumLiterals(sql string, typ schema.QName, old, new string) string {
	cast := "::" + typ.Quoted()
	oldLit := schema.Literal(old)
	if !strings.Contains(sql, oldLit+cast) {
		return sql
	}
	var b strings.Builder
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			end := quotedEnd(sql, i)
			tok := sql[i:end]
			if c == '\'' && tok == oldLit && strings.HasPrefix(sql[end:], cast) &&
				(end+len(cast) == len(sql) || !isIdentByte(sql[end+len(cast)]) && sql[end+len(cast)] != '.') {
				tok = schema.Literal(new)
			}
			b.WriteString(tok)
			i = end
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// quotedEnd returns the end of the string literal or quoted identifier
// starting at sql[i], with a doubled quote standing for one.
func quotedEnd(sql string, i int) int {
	q := sql[i]
	j := i + 1
	for j < len(sql) && (sql[j] != q || j+1 < len(sql) && sql[j+1] == q) {
		if sql[j] == q {
			j++
		}
		j++
	}
	return min(j+1, len(sql))
}

// literalValue returns the value of the string literal lit ('...', with ”
// standing for a quote).
func literalValue(lit string) string {
	var b strings.Builder
	inner := lit[1 : len(lit)-1]
	for i := 0; i < len(inner); i++ {
		b.WriteByte(inner[i])
		if inner[i] == '\'' && i+1 < len(inner) && inner[i+1] == '\'' {
			i++
		}
	}
	return b.String()
}
