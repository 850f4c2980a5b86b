package dag

import (
	"slices"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/schema"
)

// rank breaks ties between changes whose dependencies are all satisfied:
// the lower rank runs first. Dependencies always win over ranks; ranks only
// give a plan the familiar shape (drops, then types, tables, columns,
// constraints, indexes, ...) where nothing else decides.
type rank int

// Ranks, lowest (first) to highest.
const (
	// rankCommitFirst: a change with a statement that commits before the
	// rest of the plan (diff.CommitFirst, ALTER TYPE ... ADD VALUE).
	rankCommitFirst rank = iota
	// rankRename: renames; later changes name objects by their new names.
	rankRename
	// rankDrop: drops of what the desired state no longer has.
	rankDrop
	rankSchema
	rankExtension
	// rankType: enums, domains, composite and range types, collations,
	// foreign servers.
	rankType
	rankSequence
	// rankTable: tables, user mappings, rebuilds, NO INHERIT.
	rankTable
	// rankColumn: columns, their defaults and identities, INHERIT.
	rankColumn
	// rankConstraint: table and domain constraints other than foreign
	// keys, partition attachments.
	rankConstraint
	// rankIndex: indexes, and what reads tables: views, functions,
	// policies, statistics, casts.
	rankIndex
	// rankForeignKey: foreign keys, after the keys they reference.
	rankForeignKey
	// rankTrigger: triggers, rules, event triggers, and sequences' OWNED
	// BY links, after the objects they fire on or link to.
	rankTrigger
	// rankProperty: properties set on finished objects: comments,
	// privileges, row security, storage settings, statistics targets.
	rankProperty
)

// kindRanks is the rank of a create and of an alter of an object kind.
type kindRanks struct{ create, alter rank }

// ranks is the tie-break policy: the rank of each (object kind, operation).
// Every drop ranks rankDrop. A kind missing here ranks rankProperty. The
// aspect of a change and a statement that commits first override the table
// (see rankOf).
var ranks = map[schema.Kind]kindRanks{
	schema.KindRename: {rankRename, rankRename},

	schema.KindSchema:    {rankSchema, rankProperty},
	schema.KindExtension: {rankExtension, rankExtension},

	schema.KindEnum: {rankType, rankType},
	// ADD VALUE commits first: see rankOf.
	schema.KindEnumValue:     {rankType, rankType},
	schema.KindDomain:        {rankType, rankType},
	schema.KindCompositeType: {rankType, rankType},
	schema.KindRangeType:     {rankType, rankProperty},
	schema.KindCollation:     {rankType, rankType},
	schema.KindForeignServer: {rankType, rankType},

	schema.KindSequence: {rankSequence, rankSequence},

	schema.KindTable:       {rankTable, rankTable},
	schema.KindUserMapping: {rankTable, rankTable},

	schema.KindColumn:        {rankColumn, rankColumn},
	schema.KindColumnDefault: {rankColumn, rankColumn},
	schema.KindIdentity:      {rankColumn, rankColumn},
	schema.KindInheritance:   {rankColumn, rankColumn},

	schema.KindConstraint:       {rankConstraint, rankConstraint},
	schema.KindDomainConstraint: {rankConstraint, rankConstraint},
	schema.KindPartition:        {rankConstraint, rankConstraint},

	schema.KindIndex:            {rankIndex, rankProperty},
	schema.KindAttachedIndex:    {rankIndex, rankIndex},
	schema.KindView:             {rankIndex, rankIndex},
	schema.KindMaterializedView: {rankIndex, rankIndex},
	schema.KindFunction:         {rankIndex, rankIndex},
	schema.KindProcedure:        {rankIndex, rankIndex},
	schema.KindAggregate:        {rankIndex, rankIndex},
	schema.KindPolicy:           {rankIndex, rankIndex},
	schema.KindStatistics:       {rankIndex, rankProperty},
	schema.KindCast:             {rankIndex, rankProperty},

	schema.KindTrigger:           {rankTrigger, rankTrigger},
	schema.KindRule:              {rankTrigger, rankTrigger},
	schema.KindEventTrigger:      {rankTrigger, rankTrigger},
	schema.KindSequenceOwnership: {rankTrigger, rankTrigger},
	// A publication lists tables once they exist with their columns.
	schema.KindPublication:           {rankTrigger, rankTrigger},
	schema.KindPublicationMembership: {rankTrigger, rankTrigger},

	schema.KindPrivileges:       {rankProperty, rankProperty},
	schema.KindRowLevelSecurity: {rankProperty, rankProperty},
	schema.KindTableSettings:    {rankProperty, rankProperty},
}

// aspectRanks is the rank of a change with an aspect, whatever its kind:
// the aspect tells what the table cannot.
var aspectRanks = map[diff.Aspect]rank{
	// A comment is set once the object is complete, whatever the other
	// alters of its kind do (a function's new body, a validated check).
	diff.AspectComment: rankProperty,
	// A foreign key needs the unique key or index it references.
	diff.AspectForeignKey: rankForeignKey,
	// A rebuild drops and builds a table again: it runs with the tables,
	// not with the drops that clear the way for them.
	diff.AspectRebuild: rankTable,
	// NO INHERIT runs with the tables, before the column changes that the
	// link no longer carries.
	diff.AspectUnlink: rankTable,
}

// rankOf returns the tie-break rank of c: rankCommitFirst when one of its
// statements commits first, the rank of its aspect when it has one, else
// the rank of its kind and operation.
func rankOf(c diff.Change) rank {
	if slices.ContainsFunc(c.Statements, func(s diff.Statement) bool { return s.Transaction == diff.CommitFirst }) {
		return rankCommitFirst
	}
	if r, ok := aspectRanks[c.Aspect]; ok {
		return r
	}
	if c.Op == diff.OpDrop {
		return rankDrop
	}
	r, ok := ranks[c.Object.Kind]
	if !ok {
		return rankProperty
	}
	if c.Op == diff.OpAlter {
		return r.alter
	}
	return r.create
}
