package diff

import (
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

// castTarget names a cast in DROP CAST and COMMENT ON CAST.
func castTarget(c *schema.Cast) string {
	return "CAST (" + c.Source + " AS " + c.Target + ")"
}

// castDefinition returns the CREATE CAST statement of c.
func castDefinition(c *schema.Cast) string {
	sql := "CREATE " + castTarget(c)
	switch c.Method {
	case schema.CastBinary:
		sql += " WITHOUT FUNCTION"
	case schema.CastInOut:
		sql += " WITH INOUT"
	default:
		sql += " WITH FUNCTION " + schema.QualifiedIdent(c.Function.Schema, c.Function.Name) + "(" + c.Function.Args + ")"
	}
	switch c.Context {
	case schema.CastAssignment:
		sql += " AS ASSIGNMENT"
	case schema.CastImplicit:
		sql += " AS IMPLICIT"
	}
	return sql
}

func castCreate(c *schema.Cast) Change {
	ch := Change{Op: OpCreate, Object: c.ID(), Requires: slices.Clone(c.Deps),
		Statements: []Statement{stmt(castDefinition(c))}}
	if c.Comment != "" {
		ch.Statements = append(ch.Statements, commentStmt(castTarget(c), c.Comment))
	}
	return ch
}

func castDrop(c *schema.Cast) Change {
	return Change{Op: OpDrop, Object: c.ID(), Requires: slices.Clone(c.Deps),
		Statements: []Statement{stmt("DROP " + castTarget(c))}}
}

// castKind diffs the user-defined casts. A cast whose method, function or
// context changes is dropped and created again: PostgreSQL has no ALTER
// CAST.
var castKind = register(&kindDiffer[*schema.Cast]{
	kind:   schema.KindCast,
	deps:   func(_ *schema.Catalog, c *schema.Cast) []schema.ID { return c.Deps },
	create: func(_ *differ, c *schema.Cast) []Change { return one(castCreate(c)) },
	drop:   func(_ *differ, c *schema.Cast) Change { return castDrop(c) },
	alter: func(_ *differ, old, c *schema.Cast) ([]Change, bool) {
		if old.Method != c.Method || old.Function != c.Function || old.Context != c.Context {
			return nil, true
		}
		if old.Comment == c.Comment {
			return nil, false
		}
		return one(Change{Op: OpAlter, Object: c.ID(),
			Statements: []Statement{commentStmt(castTarget(c), c.Comment)}}), false
	},
	altered: func(old, c *schema.Cast) *schema.Cast {
		o := *old
		o.Comment, o.Deps = c.Comment, c.Deps
		return &o
	},
})

// orderAroundCasts makes what uses a cast's function wait for the cast to
// be created, and go before the cast is dropped: PostgreSQL records that a
// view's price::numeric uses the function, not the cast, though the view
// cannot be created without the cast.
func (d *differ) orderAroundCasts() {
	byFunction := map[schema.ID][]schema.ID{}
	for _, cat := range []*schema.Catalog{d.from, d.to} {
		for _, c := range schema.ObjectsOf[*schema.Cast](cat, schema.KindCast) {
			if c.Method == schema.CastWithFunction && !slices.Contains(byFunction[c.Function], c.ID()) {
				byFunction[c.Function] = append(byFunction[c.Function], c.ID())
			}
		}
	}
	if len(byFunction) == 0 {
		return
	}
	for i := range d.changes {
		c := &d.changes[i]
		if c.Object.Kind == schema.KindCast || c.Op == OpAlter {
			continue
		}
		for _, req := range slices.Clone(c.Requires) {
			for _, cast := range byFunction[req] {
				if !slices.Contains(c.Requires, cast) {
					c.Requires = append(c.Requires, cast)
				}
			}
		}
	}
}
