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

// casts diffs the user-defined casts. A cast whose method, function or
// context changes is dropped and created again: PostgreSQL has no ALTER
// CAST.
func (d *differ) casts() {
	for _, p := range sortedTypePairs(d.to.UserCasts) {
		c := d.to.UserCasts[p]
		old, ok := d.from.UserCasts[p]
		switch {
		case !ok:
			d.add(castCreate(c))
		case old.Method != c.Method || old.Function != c.Function || old.Context != c.Context:
			d.add(castDrop(old))
			d.add(castCreate(c))
		case old.Comment != c.Comment:
			d.add(Change{Op: OpAlter, Object: c.ID(),
				Statements: []Statement{commentStmt(castTarget(c), c.Comment)}})
		}
	}
	for _, p := range sortedTypePairs(d.from.UserCasts) {
		if _, ok := d.to.UserCasts[p]; !ok {
			d.add(castDrop(d.from.UserCasts[p]))
		}
	}
}

// findCast returns the cast of cat whose identity is id.
func findCast(cat *schema.Catalog, id schema.ID) *schema.Cast {
	for _, c := range cat.UserCasts {
		if c.ID() == id {
			return c
		}
	}
	return nil
}

// addCastDeps records in rev what each cast of cat depends on, for
// reverseDeps.
func addCastDeps(cat *schema.Catalog, add func(schema.ID, []schema.ID)) {
	for _, p := range sortedTypePairs(cat.UserCasts) {
		c := cat.UserCasts[p]
		add(c.ID(), c.Deps)
	}
}

func sortedTypePairs(m map[schema.TypePair]*schema.Cast) []schema.TypePair {
	out := make([]schema.TypePair, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b schema.TypePair) int {
		if a.From != b.From {
			if a.From < b.From {
				return -1
			}
			return 1
		}
		if a.To < b.To {
			return -1
		}
		if a.To > b.To {
			return 1
		}
		return 0
	})
	return out
}

// orderAroundCasts makes what uses a cast's function wait for the cast to
// be created, and go before the cast is dropped: PostgreSQL records that a
// view's price::numeric uses the function, not the cast, though the view
// cannot be created without the cast.
func (d *differ) orderAroundCasts() {
	byFunction := map[schema.ID][]schema.ID{}
	for _, cat := range []*schema.Catalog{d.from, d.to} {
		for _, p := range sortedTypePairs(cat.UserCasts) {
			c := cat.UserCasts[p]
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
