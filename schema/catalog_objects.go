package schema

import (
	"cmp"
	"slices"
)

// Object is what every object of the model has: an identity. The model
// keeps no owners (plans run as one role and objects belong to it), so
// identity is the whole of the shared shape; what an object depends on is
// each type's Deps field, where the model has one.
type Object interface {
	// ID returns the object's identity.
	ID() ID
}

// ID returns the schema's identity.
func (s *Schema) ID() ID { return ID{Kind: KindSchema, Name: s.Name} }

// ID returns the extension's identity.
func (e *Extension) ID() ID { return ID{Kind: KindExtension, Name: e.Name} }

// ID returns the enum's identity.
func (e *Enum) ID() ID { return ID{Kind: KindEnum, Schema: e.Schema, Name: e.Name} }

// ID returns the sequence's identity.
func (s *Sequence) ID() ID { return ID{Kind: KindSequence, Schema: s.Schema, Name: s.Name} }

// ID returns the table's identity; a foreign table is a table there too.
func (t *Table) ID() ID { return ID{Kind: KindTable, Schema: t.Schema, Name: t.Name} }

// ID returns the domain's identity.
func (d *Domain) ID() ID { return ID{Kind: KindDomain, Schema: d.Schema, Name: d.Name} }

// ID returns the composite type's identity.
func (c *CompositeType) ID() ID { return ID{Kind: KindCompositeType, Schema: c.Schema, Name: c.Name} }

// ID returns the range type's identity.
func (r *RangeType) ID() ID { return ID{Kind: KindRangeType, Schema: r.Schema, Name: r.Name} }

// ID returns the collation's identity.
func (c *Collation) ID() ID { return ID{Kind: KindCollation, Schema: c.Schema, Name: c.Name} }

// ID returns the index's identity.
func (ix *Index) ID() ID { return ID{Kind: KindIndex, Schema: ix.Schema, Name: ix.Name} }

// TableColumn is a column with the name of the table it belongs to, which
// its identity names.
type TableColumn struct {
	Table QName
	*Column
}

// ID returns the column's identity.
func (c TableColumn) ID() ID {
	return ID{Kind: KindColumn, Schema: c.Table.Schema, Table: c.Table.Name, Name: c.Name}
}

// TableConstraint is a table constraint with the name of the table it
// belongs to, which its identity names.
type TableConstraint struct {
	Table QName
	*Constraint
}

// ID returns the constraint's identity.
func (c TableConstraint) ID() ID {
	return ID{Kind: KindConstraint, Schema: c.Table.Schema, Table: c.Table.Name, Name: c.Name}
}

// kindObjects lists the objects of one kind of a catalog, in a stable
// order (see Catalog.Objects).
type kindObjects func(c *Catalog) []Object

// objectKinds says, for each kind whose objects the catalog holds, how to
// enumerate them. Every other kind is a facet, a kind spelled only by
// dependencies and grants, or an unsupported kind: pseudoKinds names them
// all, and a test checks that the two lists cover every kind.
var objectKinds = map[Kind]kindObjects{
	KindSchema:        func(c *Catalog) []Object { return byKey(c.Schemas) },
	KindExtension:     func(c *Catalog) []Object { return byKey(c.Extensions) },
	KindEnum:          func(c *Catalog) []Object { return byQName(c.Enums) },
	KindDomain:        func(c *Catalog) []Object { return byQName(c.Domains) },
	KindCompositeType: func(c *Catalog) []Object { return byQName(c.Composites) },
	KindRangeType:     func(c *Catalog) []Object { return byQName(c.Ranges) },
	KindSequence:      func(c *Catalog) []Object { return byQName(c.Sequences) },
	KindCollation:     func(c *Catalog) []Object { return byQName(c.Collations) },
	KindTable:         func(c *Catalog) []Object { return byQName(c.Tables) },
	KindColumn: func(c *Catalog) []Object {
		return ofTables(c, func(t *Table) []Object {
			return each(t.Columns, func(col *Column) Object { return TableColumn{t.QName, col} })
		})
	},
	KindConstraint: func(c *Catalog) []Object {
		return ofTables(c, func(t *Table) []Object {
			return each(t.Constraints, func(con *Constraint) Object { return TableConstraint{t.QName, con} })
		})
	},
	KindIndex: func(c *Catalog) []Object {
		out := ofTables(c, func(t *Table) []Object { return asObjects(t.Indexes) })
		for _, q := range SortedQNames(c.Views) {
			out = append(out, asObjects(c.Views[q].Indexes)...)
		}
		return out
	},
	KindView:             func(c *Catalog) []Object { return views(c, false) },
	KindMaterializedView: func(c *Catalog) []Object { return views(c, true) },
	KindFunction:         func(c *Catalog) []Object { return functions(c, KindFunction) },
	KindProcedure:        func(c *Catalog) []Object { return functions(c, KindProcedure) },
	KindAggregate:        func(c *Catalog) []Object { return functions(c, KindAggregate) },
	KindTrigger: func(c *Catalog) []Object {
		return onRelations(c, func(t *Table) []Object { return asObjects(t.Triggers) },
			func(v *View) []Object { return asObjects(v.Triggers) })
	},
	KindRule: func(c *Catalog) []Object {
		return onRelations(c, func(t *Table) []Object { return asObjects(t.Rules) },
			func(v *View) []Object { return asObjects(v.Rules) })
	},
	KindPolicy: func(c *Catalog) []Object {
		return ofTables(c, func(t *Table) []Object { return asObjects(t.Policies) })
	},
	KindStatistics: func(c *Catalog) []Object {
		return ofTables(c, func(t *Table) []Object { return asObjects(t.Statistics) })
	},
	KindEventTrigger: func(c *Catalog) []Object { return byKey(c.EventTriggers) },
	KindForeignServer: func(c *Catalog) []Object {
		return byKey(c.Servers)
	},
	KindUserMapping: func(c *Catalog) []Object {
		keys := make([]UserMappingKey, 0, len(c.UserMappings))
		for k := range c.UserMappings {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, UserMappingKey.Compare)
		return each(keys, func(k UserMappingKey) Object { return c.UserMappings[k] })
	},
	KindCast: func(c *Catalog) []Object {
		keys := make([]TypePair, 0, len(c.UserCasts))
		for k := range c.UserCasts {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, TypePair.Compare)
		return each(keys, func(k TypePair) Object { return c.UserCasts[k] })
	},
	KindPublication: func(c *Catalog) []Object { return byKey(c.Publications) },
	KindPublicationMembership: func(c *Catalog) []Object {
		var out []Object
		for _, name := range SortedKeys(c.Publications) {
			out = append(out, asObjects(c.Publications[name].Tables)...)
		}
		return out
	},
}

// pseudoKinds are the kinds Catalog.Objects does not enumerate, each with
// why: facets of an object that a plan changes apart from it, kinds only
// dependencies or grants spell, and kinds reported as unsupported.
var pseudoKinds = map[Kind]string{
	KindForeignTable: "a foreign table is a table (KindTable, Table.Foreign); dependencies spell it apart",
	KindType:         "a type of no more precise kind, in dependencies and grants",
	KindOther:        "an object of no modelled kind, in dependencies",

	KindPrivileges:        "facet: the privileges on an object",
	KindIdentity:          "facet: a column's identity",
	KindSequenceOwnership: "facet: a sequence's OWNED BY",
	KindInheritance:       "facet: a table's parent",
	KindPartition:         "facet: a partition's attachment",
	KindRename:            "facet: a rename",
	KindEnumValue:         "facet: an enum label in a rename hint",
	KindAttachedIndex:     "facet: a partition's index attached to its parent's",
	KindColumnDefault:     "facet: a column's default",
	KindDomainConstraint:  "facet: a domain's constraint",
	KindTableSettings:     "facet: a table's storage parameters",
	KindDefaultPrivileges: "facet: ALTER DEFAULT PRIVILEGES of a role",
	KindRowLevelSecurity:  "facet: a table's row level security flags; unsupported when alone",

	KindAccessMethod:               "unsupported",
	KindBaseType:                   "unsupported",
	KindConversion:                 "unsupported",
	KindDefaultPrivilegesOfCreator: "unsupported",
	KindLanguage:                   "unsupported",
	KindMultirangeType:             "unsupported (derived from a range type)",
	KindOperator:                   "unsupported",
	KindOperatorClass:              "unsupported",
	KindOperatorFamily:             "unsupported",
	KindTextSearchConfiguration:    "unsupported",
	KindTextSearchDictionary:       "unsupported",
	KindTypedTable:                 "unsupported",
}

// Objects returns the catalog's objects of kind k, in a stable order: by
// name, and objects of a table or view by their table (or view) then in
// the order the table lists them. Kinds of no object (facets, unsupported
// kinds, see IsObjectKind) have none.
func (c *Catalog) Objects(k Kind) []Object {
	list, ok := objectKinds[k]
	if !ok {
		return nil
	}
	return list(c)
}

// IsObjectKind reports whether the catalog holds objects of kind k that
// Objects enumerates.
func IsObjectKind(k Kind) bool {
	_, ok := objectKinds[k]
	return ok
}

// ObjectsOf returns the catalog's objects of the kinds, as their model
// type T, in the order of Objects kind by kind.
func ObjectsOf[T Object](c *Catalog, kinds ...Kind) []T {
	var out []T
	for _, k := range kinds {
		for _, o := range c.Objects(k) {
			out = append(out, o.(T))
		}
	}
	return out
}

// Lookup returns the object of the catalog with identity id.
func (c *Catalog) Lookup(id ID) (Object, bool) {
	for _, o := range c.Objects(id.Kind) {
		if o.ID() == id {
			return o, true
		}
	}
	return nil, false
}

func byKey[V Object](m map[string]V) []Object {
	return each(SortedKeys(m), func(k string) Object { return m[k] })
}

func byQName[V Object](m map[QName]V) []Object {
	return each(SortedQNames(m), func(q QName) Object { return m[q] })
}

func ofTables(c *Catalog, of func(t *Table) []Object) []Object {
	var out []Object
	for _, q := range SortedQNames(c.Tables) {
		out = append(out, of(c.Tables[q])...)
	}
	return out
}

// onRelations lists objects of tables and views, by identity.
func onRelations(c *Catalog, ofTable func(t *Table) []Object, ofView func(v *View) []Object) []Object {
	var out []Object
	for _, t := range c.Tables {
		out = append(out, ofTable(t)...)
	}
	for _, v := range c.Views {
		out = append(out, ofView(v)...)
	}
	slices.SortFunc(out, func(a, b Object) int { return a.ID().Compare(b.ID()) })
	return out
}

func views(c *Catalog, materialized bool) []Object {
	var out []Object
	for _, q := range SortedQNames(c.Views) {
		if v := c.Views[q]; v.Materialized == materialized {
			out = append(out, v)
		}
	}
	return out
}

func functions(c *Catalog, k Kind) []Object {
	var out []Object
	for _, id := range SortedIDs(c.Functions) {
		if id.Kind == k {
			out = append(out, c.Functions[id])
		}
	}
	return out
}

func asObjects[T Object](s []T) []Object {
	return each(s, func(o T) Object { return o })
}

func each[T any](s []T, f func(T) Object) []Object {
	out := make([]Object, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

// Compare orders type pairs by source then target type.
func (p TypePair) Compare(o TypePair) int {
	return cmp.Or(cmp.Compare(p.From, o.From), cmp.Compare(p.To, o.To))
}
