package gostruct

import (
	"go/types"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// relations reads the relationship fields of a model: fields whose type is
// another model (belongs-to or has-one) or a slice of them (has-many).
func (r *gormReader) relations(s *gormSchema) error {
	for _, f := range s.fields {
		if f.dataType != "" || f.gormType != "" || !f.usable {
			continue
		}
		if f.depth > 0 {
			r.warnf(f.src, "field %s: a relation declared in an embedded struct is not read by schemadiff: declare it in model %s", f.name, s.goName)
			continue
		}
		target, slice := f.typ, false
		if sl, ok := target.Underlying().(*types.Slice); ok {
			target, slice = deref(sl.Elem()), true
		}
		named, ok := target.(*types.Named)
		if _, isStruct := target.Underlying().(*types.Struct); !ok || !isStruct {
			return f.src.errorf("field %s: type %s has no column type for GORM: add type:... to its gorm tag, or gorm:\"-\"",
				f.name, types.TypeString(f.typ, nil))
		}
		for _, k := range []string{"MANY2MANY", "POLYMORPHIC", "POLYMORPHICTYPE", "POLYMORPHICID"} {
			if _, ok := f.settings[k]; ok {
				r.warnf(f.src, "field %s: gorm relation option %s is not read by schemadiff: declare its table and keys in SQL or as a model", f.name, strings.ToLower(k))
				return nil
			}
		}
		ts, err := r.model(named.Obj())
		if err != nil {
			return err
		}
		rel := &gormRel{owner: s, field: f, target: ts, slice: slice}
		if !r.guess(rel) {
			return f.src.errorf("field %s: no foreign key found for the relation to %s: add the key field (%s) or gorm:\"foreignKey:...\"",
				f.name, named.Obj().Name(), f.name+"ID or "+s.goName+"ID")
		}
		s.rels = append(s.rels, rel)
	}
	return nil
}

// guess finds a relation's keys as GORM's guessRelation does: for a struct
// field has-one first (unless it refers to its own model), then
// belongs-to; for a slice has-many.
func (r *gormReader) guess(rel *gormRel) bool {
	order := []bool{false, true} // belongs?
	switch {
	case rel.slice:
		order = []bool{false}
	case rel.target == rel.owner:
		order = []bool{true, false}
	}
	if _, ok := rel.field.settings["BELONGSTO"]; ok {
		order = []bool{true}
	}
	for _, belongs := range order {
		if r.guessAs(rel, belongs) {
			return true
		}
	}
	return false
}

// toColumns splits a foreignKey: or references: value.
func toColumns(val string) []string {
	var out []string
	for _, c := range strings.Split(val, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func (r *gormReader) guessAs(rel *gormRel, belongs bool) bool {
	primary, foreign := rel.owner, rel.target
	if belongs {
		primary, foreign = rel.target, rel.owner
	}
	fks := toColumns(rel.field.settings["FOREIGNKEY"])
	pks := toColumns(rel.field.settings["REFERENCES"])
	var foreignFields, primaryFields []*gormField
	if len(fks) > 0 {
		for _, k := range fks {
			f := foreign.lookUp(k)
			if f == nil {
				return false
			}
			foreignFields = append(foreignFields, f)
		}
	} else {
		candidates := primary.primary
		if len(pks) > 0 {
			candidates = nil
			for _, k := range pks {
				if f := primary.lookUp(k); f != nil {
					candidates = append(candidates, f)
				}
			}
		}
		for _, pf := range candidates {
			lookUpName := primary.goName + pf.name
			if belongs {
				lookUpName = rel.field.name + pf.name
			}
			names := []string{lookUpName}
			if len(candidates) == 1 {
				base := strings.TrimSuffix(lookUpName, pf.name)
				names = append(names, base+"ID", base+"Id", gormDBName(base+"ID"))
			}
			for _, n := range names {
				if f := foreign.lookUp(n); f != nil {
					foreignFields = append(foreignFields, f)
					primaryFields = append(primaryFields, pf)
					break
				}
			}
		}
	}
	switch {
	case len(foreignFields) == 0:
		return false
	case len(pks) > 0:
		primaryFields = nil
		for _, k := range pks {
			f := primary.lookUp(k)
			if f == nil {
				return false
			}
			primaryFields = append(primaryFields, f)
		}
	case len(primaryFields) == 0:
		if len(foreignFields) == 1 && primary.prio != nil {
			primaryFields = []*gormField{primary.prio}
		} else if len(primary.primary) == len(foreignFields) {
			primaryFields = primary.primary
		} else {
			return false
		}
	}
	if len(primaryFields) < len(foreignFields) {
		return false
	}
	for i, ff := range foreignFields {
		pf := primaryFields[i]
		// GORM gives a foreign key the data type of the key it references.
		if !strings.Contains(strings.ToLower(pf.dataType), "primary key") && !strings.Contains(strings.ToLower(pf.dataType), "auto_increment") {
			ff.dataType = pf.dataType
		}
		ff.gormType = pf.gormType
		if ff.size == 0 {
			ff.size = pf.size
		}
	}
	rel.belongs = belongs
	rel.foreign = foreignFields
	rel.references = primaryFields[:len(foreignFields)]
	return true
}

var gormConstraintName = regexp.MustCompile(`^[\w-]+$`)

// gormConstraint is a FOREIGN KEY constraint GORM creates for a relation.
type gormConstraint struct {
	name               string
	table, references  *gormSchema
	columns, refs      []string
	onDelete, onUpdate string
}

// constraint returns the foreign key GORM creates for a relation, nil for
// none (constraint:-, or a belongs-to mirrored by a has-one or has-many
// of the other model).
func (r *gormReader) constraint(rel *gormRel) *gormConstraint {
	str := rel.field.settings["CONSTRAINT"]
	if str == "-" || rel.field.ignoreMig {
		return nil
	}
	if rel.belongs {
		for _, o := range rel.target.rels {
			if o != rel && o.target == rel.owner && !o.belongs && slices.Equal(o.foreign, rel.foreign) && slices.Equal(o.references, rel.references) {
				return nil
			}
		}
	}
	settings := gormTagSettings(str, ",")
	c := &gormConstraint{onDelete: settings["ONDELETE"], onUpdate: settings["ONUPDATE"]}
	if i := strings.IndexByte(str, ','); i >= 0 && gormConstraintName.MatchString(str[:i]) {
		c.name = str[:i]
	} else {
		c.name = gormFormatName("fk", rel.owner.table, gormDBName(rel.field.name))
	}
	c.table, c.references = rel.owner, rel.target
	if !rel.belongs {
		c.table, c.references = rel.target, rel.owner
	}
	for i, f := range rel.foreign {
		c.columns = append(c.columns, f.dbName)
		c.refs = append(c.refs, rel.references[i].dbName)
	}
	return c
}

// sql renders the constraint inside CREATE TABLE.
func (c *gormConstraint) sql() string {
	quote := func(names []string) string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = schema.Ident(n)
		}
		return strings.Join(out, ",")
	}
	sql := "CONSTRAINT " + schema.Ident(c.name) + " FOREIGN KEY (" + quote(c.columns) + ") REFERENCES " +
		schema.QualifiedIdent(c.references.schema, c.references.table) + " (" + quote(c.refs) + ")"
	if c.onDelete != "" {
		sql += " ON DELETE " + c.onDelete
	}
	if c.onUpdate != "" {
		sql += " ON UPDATE " + c.onUpdate
	}
	return sql
}

// gormIndex is an index GORM creates from index and uniqueIndex tags.
type gormIndex struct {
	name, class, typ, where, option string
	src                             srcPos
	elems                           []gormIndexElem
}

type gormIndexElem struct {
	field                     *gormField
	expression, sort, collate string
	priority                  int
}

// indexes returns a model's indexes as GORM's ParseIndexes does.
func (s *gormSchema) indexes() []*gormIndex {
	byName := map[string]*gormIndex{}
	var out []*gormIndex
	for _, f := range s.fields {
		if f.settings["INDEX"] == "" && f.settings["UNIQUEINDEX"] == "" {
			continue
		}
		for _, ix := range s.fieldIndexes(f) {
			idx := byName[ix.name]
			if idx == nil {
				idx = &gormIndex{name: ix.name, src: ix.src}
				byName[ix.name] = idx
				out = append(out, idx)
			}
			idx.class = firstNonEmpty(idx.class, ix.class)
			idx.typ = firstNonEmpty(idx.typ, ix.typ)
			idx.where = firstNonEmpty(idx.where, ix.where)
			idx.option = firstNonEmpty(idx.option, ix.option)
			idx.elems = append(idx.elems, ix.elems...)
			sort.SliceStable(idx.elems, func(i, j int) bool { return idx.elems[i].priority < idx.elems[j].priority })
		}
	}
	return out
}

// fieldIndexes reads the index and uniqueIndex options of a field's raw
// tag, as GORM's parseFieldIndexes.
func (s *gormSchema) fieldIndexes(f *gormField) []gormIndex {
	var out []gormIndex
	for _, value := range strings.Split(f.tag, ";") {
		if value == "" {
			continue
		}
		v := strings.Split(value, ":")
		k := strings.TrimSpace(strings.ToUpper(v[0]))
		if k != "INDEX" && k != "UNIQUEINDEX" {
			continue
		}
		tag := strings.Join(v[1:], ":")
		idx := strings.IndexByte(tag, ',')
		settings := gormTagSettings(strings.Join(strings.Split(tag, ",")[1:], ","), ",")
		if idx == -1 {
			idx = len(tag)
		}
		name := tag[:idx]
		if name == "" {
			sub := f.name
			if c, ok := settings["COMPOSITE"]; ok && c != "" && c != "COMPOSITE" {
				sub = c
			}
			name = gormIndexName(s.table, sub)
		}
		if k == "UNIQUEINDEX" || settings["UNIQUE"] != "" {
			settings["CLASS"] = "UNIQUE"
		}
		priority, err := strconv.Atoi(settings["PRIORITY"])
		if err != nil {
			priority = 10
		}
		out = append(out, gormIndex{name: name, class: settings["CLASS"], typ: settings["TYPE"], where: settings["WHERE"],
			option: settings["OPTION"], src: f.src,
			elems: []gormIndexElem{{field: f, expression: settings["EXPRESSION"], sort: settings["SORT"],
				collate: settings["COLLATE"], priority: priority}}})
	}
	return out
}

// sql renders CREATE INDEX as GORM's postgres migrator writes it.
func (ix *gormIndex) sql(s *gormSchema) string {
	var elems []string
	for _, e := range ix.elems {
		str := schema.Ident(e.field.dbName)
		if e.expression != "" {
			str = e.expression
		}
		if e.collate != "" {
			str += " COLLATE " + e.collate
		}
		if e.sort != "" {
			str += " " + e.sort
		}
		elems = append(elems, str)
	}
	sql := "CREATE "
	if ix.class != "" {
		sql += ix.class + " "
	}
	sql += "INDEX " + schema.Ident(ix.name) + " ON " + schema.QualifiedIdent(s.schema, s.table)
	if ix.typ != "" {
		sql += " USING " + ix.typ
	}
	sql += " (" + strings.Join(elems, ",") + ")"
	if ix.option != "" && !strings.EqualFold(strings.TrimSpace(ix.option), "CONCURRENTLY") {
		sql += " " + ix.option
	}
	if ix.where != "" {
		sql += " WHERE " + ix.where
	}
	return sql
}

// checks returns a model's CHECK constraints (name → expression) as
// GORM's ParseCheckConstraints.
func (s *gormSchema) checks() [][2]string {
	var out [][2]string
	for _, dbName := range s.dbNames {
		f := s.byDBName[dbName]
		chk := f.settings["CHECK"]
		if chk == "" {
			continue
		}
		names := strings.Split(chk, ",")
		if len(names) > 1 && gormConstraintName.MatchString(names[0]) {
			out = append(out, [2]string{names[0], strings.Join(names[1:], ",")})
			continue
		}
		if names[0] == "" {
			chk = strings.Join(names[1:], ",")
		}
		out = append(out, [2]string{gormFormatName("chk", s.table, f.dbName), chk})
	}
	return out
}

// emitGorm adds the statements of the models read.
func (l *goLoader) emitGorm(r *gormReader) error {
	constraints := map[*gormSchema][]*gormConstraint{}
	for _, s := range r.order {
		for _, rel := range s.rels {
			if c := r.constraint(rel); c != nil {
				constraints[c.table] = append(constraints[c.table], c)
			}
		}
	}
	for _, s := range r.order {
		key := [2]string{s.schema, s.table}
		if first, dup := l.tables[key]; dup {
			line, _ := first.lineCol()
			return s.src.errorf("table %s of model %s is declared twice (also at %s:%d)", schema.QualifiedIdent(s.schema, s.table), s.goName, first.file.path, line)
		}
		l.tables[key] = s.src
		if err := l.emitModel(s, constraints[s]); err != nil {
			return err
		}
	}
	return nil
}

// emitModel adds the CREATE TABLE, CREATE INDEX and COMMENT statements of
// one model.
func (l *goLoader) emitModel(s *gormSchema, fks []*gormConstraint) error {
	var elems []string
	for _, n := range s.dbNames {
		f := s.byDBName[n]
		if f.ignoreMig {
			continue
		}
		if f.dataType == "" {
			return f.src.errorf("field %s of model %s has no column type: add type:... to its gorm tag", f.name, s.goName)
		}
		elems = append(elems, f.definition())
	}
	if len(s.primary) > 0 {
		var pk []string
		for _, f := range s.primary {
			pk = append(pk, schema.Ident(f.dbName))
		}
		elems = append(elems, "PRIMARY KEY ("+strings.Join(pk, ",")+")")
	}
	for _, c := range fks {
		elems = append(elems, c.sql())
	}
	for _, f := range s.fields {
		if f.unique && f.dbName != "" && s.byDBName[f.dbName] == f {
			elems = append(elems, "CONSTRAINT "+schema.Ident(gormFormatName("uni", s.table, gormDBName(f.dbName)))+" UNIQUE ("+schema.Ident(f.dbName)+")")
		}
	}
	for _, c := range s.checks() {
		elems = append(elems, "CONSTRAINT "+schema.Ident(c[0])+" CHECK ("+c[1]+")")
	}
	table := schema.QualifiedIdent(s.schema, s.table)
	if err := l.statement(s.src, "CREATE TABLE "+table+" (\n\t"+strings.Join(elems, ",\n\t")+"\n)"); err != nil {
		return err
	}
	for _, ix := range s.indexes() {
		if err := l.statement(ix.src, ix.sql(s)); err != nil {
			return err
		}
	}
	for _, n := range s.dbNames {
		if f := s.byDBName[n]; f.comment != "" && !f.ignoreMig {
			if err := l.statement(f.src, "COMMENT ON COLUMN "+table+"."+schema.Ident(f.dbName)+" IS "+schema.Literal(f.comment)); err != nil {
				return err
			}
		}
	}
	return nil
}
