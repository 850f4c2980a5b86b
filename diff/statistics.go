package diff

import (
	"fmt"

	"github.com/schemadiff/schemadiff/schema"
)

// findStatistics returns the statistics object q of cat, or nil.
func findStatistics(cat *schema.Catalog, q schema.QName) *schema.Statistics {
	for _, t := range cat.Tables {
		for _, s := range t.Statistics {
			if s.QName == q {
				return s
			}
		}
	}
	return nil
}

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

// statistics diffs the extended statistics of tables that the plan keeps.
// A table the plan creates (or creates again) creates its own; one it
// drops takes its statistics with it.
func (d *differ) statistics() {
	created := map[schema.QName]bool{}
	for _, c := range d.changes {
		if c.Op == OpCreate && c.Object.Kind == schema.KindTable {
			created[schema.QName{Schema: c.Object.Schema, Name: c.Object.Name}] = true
		}
	}
	for _, q := range schema.SortedQNames(d.to.Tables) {
		if created[q] {
			continue
		}
		for _, s := range d.to.Tables[q].Statistics {
			old := findStatistics(d.from, s.QName)
			switch {
			case old == nil:
				d.add(statisticsCreate(s))
			case old.Definition != s.Definition || old.Table != s.Table:
				d.add(statisticsDrop(old))
				d.add(statisticsCreate(s))
			default:
				c := Change{Op: OpAlter, Object: s.ID(), Requires: []schema.ID{s.ID()}}
				if old.Target != s.Target {
					c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER STATISTICS %s SET STATISTICS %d", s.Quoted(), s.Target)))
				}
				if old.Comment != s.Comment {
					c.Statements = append(c.Statements, commentStmt("STATISTICS "+s.Quoted(), s.Comment))
				}
				if len(c.Statements) > 0 {
					d.add(c)
				}
			}
		}
	}
	for _, q := range schema.SortedQNames(d.from.Tables) {
		if _, kept := d.to.Tables[q]; !kept || created[q] {
			continue
		}
		for _, s := range d.from.Tables[q].Statistics {
			if findStatistics(d.to, s.QName) == nil {
				d.add(statisticsDrop(s))
			}
		}
	}
}
