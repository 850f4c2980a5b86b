package dag

import (
	"slices"
	"testing"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/schema"
)

func TestRankOf(t *testing.T) {
	commitFirst := diff.Statement{SQL: "ALTER TYPE public.e ADD VALUE IF NOT EXISTS 'x'", Transaction: diff.CommitFirst}
	tests := []struct {
		name   string
		op     diff.Op
		kind   schema.Kind
		aspect diff.Aspect
		stmts  []diff.Statement
		want   rank
	}{
		{"enum value committed first", diff.OpCreate, schema.KindEnumValue, diff.AspectNone, []diff.Statement{commitFirst}, rankCommitFirst},
		{"rename", diff.OpAlter, schema.KindRename, diff.AspectNone, nil, rankRename},
		{"drop table", diff.OpDrop, schema.KindTable, diff.AspectNone, nil, rankDrop},
		{"drop column", diff.OpDrop, schema.KindColumn, diff.AspectNone, nil, rankDrop},
		{"drop trigger", diff.OpDrop, schema.KindTrigger, diff.AspectNone, nil, rankDrop},
		{"drop of a kind not listed", diff.OpDrop, schema.KindTextSearchDictionary, diff.AspectNone, nil, rankDrop},
		{"create schema", diff.OpCreate, schema.KindSchema, diff.AspectNone, nil, rankSchema},
		{"alter schema", diff.OpAlter, schema.KindSchema, diff.AspectNone, nil, rankProperty},
		{"create extension", diff.OpCreate, schema.KindExtension, diff.AspectNone, nil, rankExtension},
		{"alter extension", diff.OpAlter, schema.KindExtension, diff.AspectNone, nil, rankExtension},
		{"create enum", diff.OpCreate, schema.KindEnum, diff.AspectNone, nil, rankType},
		{"alter domain", diff.OpAlter, schema.KindDomain, diff.AspectNone, nil, rankType},
		{"create range type", diff.OpCreate, schema.KindRangeType, diff.AspectNone, nil, rankType},
		{"alter range type", diff.OpAlter, schema.KindRangeType, diff.AspectNone, nil, rankProperty},
		{"create foreign server", diff.OpCreate, schema.KindForeignServer, diff.AspectNone, nil, rankType},
		{"alter sequence", diff.OpAlter, schema.KindSequence, diff.AspectNone, nil, rankSequence},
		{"create table", diff.OpCreate, schema.KindTable, diff.AspectNone, nil, rankTable},
		{"alter table", diff.OpAlter, schema.KindTable, diff.AspectNone, nil, rankTable},
		{"rebuild table", diff.OpDrop, schema.KindTable, diff.AspectRebuild, nil, rankTable},
		{"create user mapping", diff.OpCreate, schema.KindUserMapping, diff.AspectNone, nil, rankTable},
		{"no inherit", diff.OpAlter, schema.KindInheritance, diff.AspectUnlink, nil, rankTable},
		{"inherit", diff.OpAlter, schema.KindInheritance, diff.AspectNone, nil, rankColumn},
		{"create column", diff.OpCreate, schema.KindColumn, diff.AspectNone, nil, rankColumn},
		{"alter identity", diff.OpAlter, schema.KindIdentity, diff.AspectNone, nil, rankColumn},
		{"create column default", diff.OpCreate, schema.KindColumnDefault, diff.AspectNone, nil, rankColumn},
		{"create check", diff.OpCreate, schema.KindConstraint, diff.AspectNone, nil, rankConstraint},
		{"validate constraint", diff.OpAlter, schema.KindConstraint, diff.AspectNone, nil, rankConstraint},
		{"comment on constraint", diff.OpAlter, schema.KindConstraint, diff.AspectComment, nil, rankProperty},
		{"create foreign key", diff.OpCreate, schema.KindConstraint, diff.AspectForeignKey, nil, rankForeignKey},
		{"create domain constraint", diff.OpCreate, schema.KindDomainConstraint, diff.AspectNone, nil, rankConstraint},
		{"attach partition", diff.OpCreate, schema.KindPartition, diff.AspectNone, nil, rankConstraint},
		{"create index", diff.OpCreate, schema.KindIndex, diff.AspectNone, nil, rankIndex},
		{"alter index", diff.OpAlter, schema.KindIndex, diff.AspectNone, nil, rankProperty},
		{"attach index", diff.OpCreate, schema.KindAttachedIndex, diff.AspectNone, nil, rankIndex},
		{"create view", diff.OpCreate, schema.KindView, diff.AspectNone, nil, rankIndex},
		{"alter materialized view", diff.OpAlter, schema.KindMaterializedView, diff.AspectNone, nil, rankIndex},
		{"create function", diff.OpCreate, schema.KindFunction, diff.AspectNone, nil, rankIndex},
		{"replace procedure", diff.OpAlter, schema.KindProcedure, diff.AspectNone, nil, rankIndex},
		{"comment on function", diff.OpAlter, schema.KindFunction, diff.AspectComment, nil, rankProperty},
		{"create aggregate", diff.OpCreate, schema.KindAggregate, diff.AspectNone, nil, rankIndex},
		{"alter policy", diff.OpAlter, schema.KindPolicy, diff.AspectNone, nil, rankIndex},
		{"create statistics", diff.OpCreate, schema.KindStatistics, diff.AspectNone, nil, rankIndex},
		{"alter statistics", diff.OpAlter, schema.KindStatistics, diff.AspectNone, nil, rankProperty},
		{"create cast", diff.OpCreate, schema.KindCast, diff.AspectNone, nil, rankIndex},
		{"alter cast", diff.OpAlter, schema.KindCast, diff.AspectNone, nil, rankProperty},
		{"create trigger", diff.OpCreate, schema.KindTrigger, diff.AspectNone, nil, rankTrigger},
		{"replace rule", diff.OpAlter, schema.KindRule, diff.AspectNone, nil, rankTrigger},
		{"alter event trigger", diff.OpAlter, schema.KindEventTrigger, diff.AspectNone, nil, rankTrigger},
		{"create publication", diff.OpCreate, schema.KindPublication, diff.AspectNone, nil, rankTrigger},
		{"add a table to a publication", diff.OpCreate, schema.KindPublicationMembership, diff.AspectNone, nil, rankTrigger},
		{"drop a table from a publication", diff.OpDrop, schema.KindPublicationMembership, diff.AspectNone, nil, rankDrop},
		{"sequence owned by", diff.OpAlter, schema.KindSequenceOwnership, diff.AspectNone, nil, rankTrigger},
		{"privileges", diff.OpAlter, schema.KindPrivileges, diff.AspectNone, nil, rankProperty},
		{"row security", diff.OpAlter, schema.KindRowLevelSecurity, diff.AspectNone, nil, rankProperty},
		{"table settings", diff.OpAlter, schema.KindTableSettings, diff.AspectNone, nil, rankProperty},
		{"create of a kind not listed", diff.OpCreate, schema.KindTextSearchDictionary, diff.AspectNone, nil, rankProperty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := diff.Change{Op: tt.op, Object: schema.ID{Kind: tt.kind, Schema: "public", Name: "x"}, Aspect: tt.aspect, Statements: tt.stmts}
			if got := rankOf(c); got != tt.want {
				t.Errorf("rankOf(%s %s, aspect %s) = %d, want %d", tt.op, tt.kind, tt.aspect, got, tt.want)
			}
		})
	}
}

// TestAspectRanks checks that every aspect but none overrides the table.
func TestAspectRanks(t *testing.T) {
	for a := diff.AspectNone; a <= diff.AspectUnlink; a++ {
		_, ok := aspectRanks[a]
		if ok == (a == diff.AspectNone) {
			t.Errorf("aspect %s: in aspectRanks = %t", a, ok)
		}
	}
}

// TestOrderShape orders independent changes, one of each rank, given in
// reverse, into the shape the rank policy describes.
func TestOrderShape(t *testing.T) {
	id := func(k schema.Kind, name string) schema.ID { return schema.ID{Kind: k, Schema: "public", Name: name} }
	want := []diff.Change{
		{Op: diff.OpCreate, Object: id(schema.KindEnumValue, "v"), Statements: []diff.Statement{{Transaction: diff.CommitFirst}}},
		{Op: diff.OpAlter, Object: id(schema.KindRename, "r")},
		{Op: diff.OpDrop, Object: id(schema.KindView, "old")},
		{Op: diff.OpCreate, Object: schema.ID{Kind: schema.KindSchema, Name: "s"}},
		{Op: diff.OpCreate, Object: schema.ID{Kind: schema.KindExtension, Name: "e"}},
		{Op: diff.OpCreate, Object: id(schema.KindEnum, "e")},
		{Op: diff.OpCreate, Object: id(schema.KindSequence, "q")},
		{Op: diff.OpCreate, Object: id(schema.KindTable, "t")},
		{Op: diff.OpCreate, Object: schema.ID{Kind: schema.KindColumn, Schema: "public", Table: "u", Name: "c"}},
		{Op: diff.OpCreate, Object: schema.ID{Kind: schema.KindConstraint, Schema: "public", Table: "u", Name: "ck"}},
		{Op: diff.OpCreate, Object: id(schema.KindIndex, "i")},
		{Op: diff.OpCreate, Object: schema.ID{Kind: schema.KindConstraint, Schema: "public", Table: "u", Name: "fk"}, Aspect: diff.AspectForeignKey},
		{Op: diff.OpCreate, Object: id(schema.KindTrigger, "tr")},
		{Op: diff.OpAlter, Object: id(schema.KindPrivileges, "p")},
	}
	in := slices.Clone(want)
	slices.Reverse(in)
	got, err := Order(in)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := names(got), names(want); !slices.Equal(g, w) {
		t.Errorf("Order:\n got  %q\n want %q", g, w)
	}
}
