package diff

import (
	"fmt"

	"github.com/schemadiff/schemadiff/schema"
)

// statisticsCreate creates an extended statistics object with its target
// and comment.
func statisticsCreate(s *schema.Statistics) Change {
	c := Change{Op: OpCreate, Object: s.ID(),
		Requires:   append([]schema.ID{tableID(s.Table), schemaID(s.Schema)}, s.Deps...),
		Statements: []Statement{stmt(s.Definition)}}
	if s.Target >= 0 {
		c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER STATISTICS %s SET STATISTICS %d", s.Quoted(), s.Target)))
	}
	if s.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("STATISTICS "+s.Quoted(), s.Comment))
	}
	return c
}

// statisticsDrop drops an extended statistics object, before the columns
// it covers.
func statisticsDrop(s *schema.Statistics) Change {
	return Change{Op: OpDrop, Object: s.ID(),
		Requires:   append([]schema.ID{tableID(s.Table)}, s.Deps...),
		Statements: []Statement{stmt("DROP STATISTICS " + s.Quoted())}}
}

// statisticsKind diffs the extended statistics of tables that the plan
// keeps. A table the plan creates (or creates again) creates its own; one
// it drops takes its statistics with it.
var statisticsKind = register(&kindDiffer[*schema.Statistics]{
	kind:   schema.KindStatistics,
	deps:   func(_ *schema.Catalog, s *schema.Statistics) []schema.ID { return s.Deps },
	create: func(_ *differ, s *schema.Statistics) []Change { return one(statisticsCreate(s)) },
	drop:   func(_ *differ, s *schema.Statistics) Change { return statisticsDrop(s) },
	alter: func(_ *differ, old, s *schema.Statistics) ([]Change, bool) {
		if old.Definition != s.Definition || old.Table != s.Table {
			return nil, true
		}
		c := Change{Op: OpAlter, Object: s.ID(), Requires: []schema.ID{s.ID()}}
		if old.Target != s.Target {
			c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER STATISTICS %s SET STATISTICS %d", s.Quoted(), s.Target)))
		}
		if old.Comment != s.Comment {
			c.Statements = append(c.Statements, commentStmt("STATISTICS "+s.Quoted(), s.Comment))
		}
		return ifAny(c), false
	},
	altered: func(old, s *schema.Statistics) *schema.Statistics {
		o := *old
		o.Target, o.Comment, o.Deps = s.Target, s.Comment, s.Deps
		return &o
	},
	skip: func(d *differ) func(*schema.Statistics, bool, bool) bool {
		created := map[schema.QName]bool{}
		for _, c := range d.changes {
			if c.Op == OpCreate && c.Object.Kind == schema.KindTable {
				created[schema.QName{Schema: c.Object.Schema, Name: c.Object.Name}] = true
			}
		}
		return func(s *schema.Statistics, fromSide, _ bool) bool {
			_, kept := d.to.Tables[s.Table]
			return created[s.Table] || fromSide && !kept
		}
	},
})
