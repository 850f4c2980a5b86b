package schema

import (
	"fmt"
	"sort"
)

// Kind is a kind of database object, or of a facet of one that a plan
// changes on its own (a column's identity, a table's partition bound).
// The list below is the only one: catalog queries spell kinds with
// Kind.Literal and read them back with ParseKind, which refuses any other.
type Kind uint8

// The kinds the model manages.
const (
	kindInvalid Kind = iota

	KindSchema
	KindExtension
	KindEnum
	KindDomain
	KindCompositeType
	KindRangeType
	KindSequence
	KindTable
	KindColumn
	KindConstraint
	KindIndex
	KindView
	KindMaterializedView
	KindFunction
	KindProcedure
	KindAggregate
	KindTrigger
	KindPolicy
	KindCollation
	KindRule
	KindStatistics
	KindEventTrigger
	KindForeignTable
	KindForeignServer
	KindUserMapping
	// KindCast is a user-defined cast: ID.Name is "source AS target", the
	// types as format_type prints them.
	KindCast
	// KindPublication is a publication for logical replication (ID.Name).
	KindPublication
	// KindType is a type whose kind is not known more precisely (a
	// dependency on, or a grant on, a type).
	KindType
	// KindOther is an object of no kind above.
	KindOther

	// Facets that a plan changes apart from their object.

	// KindPrivileges are the privileges on an object (ID.Of is its kind).
	KindPrivileges
	// KindIdentity is a column's identity property (ID.Table, ID.Name).
	KindIdentity
	// KindSequenceOwnership is a sequence's OWNED BY.
	KindSequenceOwnership
	// KindInheritance is a table's inheritance from a parent (ID.Table is
	// the parent).
	KindInheritance
	// KindPartition is a partition's attachment to its parent.
	KindPartition
	// KindRename is the rename of an object (ID names it as renamed).
	KindRename
	// KindEnumValue is an enum label in a Rename hint. Enum labels are not
	// objects of their own in the model.
	KindEnumValue
	// KindAttachedIndex is a partition's index attached to its parent's.
	KindAttachedIndex
	// KindColumnDefault is a column's default expression.
	KindColumnDefault
	// KindDomainConstraint is a domain's CHECK or NOT NULL constraint.
	KindDomainConstraint
	// KindTableSettings are a table's storage parameters and options.
	KindTableSettings
	// KindDefaultPrivileges are ALTER DEFAULT PRIVILEGES of a role.
	KindDefaultPrivileges
	// KindPublicationMembership is a table's membership of a publication
	// (ID.Schema and ID.Table name the table, ID.Name the publication),
	// with its column list and row filter.
	KindPublicationMembership

	// Kinds the model does not manage, found in a database and reported
	// as unsupported.

	KindAccessMethod
	KindBaseType
	KindConversion
	KindDefaultPrivilegesOfCreator
	KindLanguage
	KindMultirangeType
	KindOperator
	KindOperatorClass
	KindOperatorFamily
	KindRowLevelSecurity
	KindTextSearchConfiguration
	KindTextSearchDictionary
	KindTypedTable

	kindEnd
)

// kindNames spells each kind as messages, plans and catalog queries do.
var kindNames = [kindEnd]string{
	kindInvalid: "",

	KindSchema:           "schema",
	KindExtension:        "extension",
	KindEnum:             "enum",
	KindDomain:           "domain",
	KindCompositeType:    "composite type",
	KindRangeType:        "range type",
	KindSequence:         "sequence",
	KindTable:            "table",
	KindColumn:           "column",
	KindConstraint:       "constraint",
	KindIndex:            "index",
	KindView:             "view",
	KindMaterializedView: "materialized view",
	KindFunction:         "function",
	KindProcedure:        "procedure",
	KindAggregate:        "aggregate",
	KindTrigger:          "trigger",
	KindPolicy:           "policy",
	KindCollation:        "collation",
	KindRule:             "rule",
	KindStatistics:       "statistics",
	KindEventTrigger:     "event trigger",
	KindForeignTable:     "foreign table",
	KindForeignServer:    "foreign server",
	KindUserMapping:      "user mapping",
	KindCast:             "cast",
	KindType:             "type",
	KindOther:            "object",

	KindPrivileges:            "privileges",
	KindIdentity:              "identity",
	KindSequenceOwnership:     "sequence ownership",
	KindInheritance:           "inheritance",
	KindPartition:             "partition",
	KindRename:                "rename",
	KindEnumValue:             "enum value",
	KindAttachedIndex:         "attached index",
	KindColumnDefault:         "column default",
	KindDomainConstraint:      "domain constraint",
	KindTableSettings:         "settings of table",
	KindDefaultPrivileges:     "default privileges",
	KindPublicationMembership: "publication membership",

	KindAccessMethod:               "access method",
	KindBaseType:                   "base type",
	KindConversion:                 "conversion",
	KindDefaultPrivilegesOfCreator: "default privileges of the creating role",
	KindLanguage:                   "language",
	KindMultirangeType:             "multirange type",
	KindOperator:                   "operator",
	KindOperatorClass:              "operator class",
	KindOperatorFamily:             "operator family",
	KindPublication:                "publication",
	KindRowLevelSecurity:           "row level security",
	KindTextSearchConfiguration:    "text search configuration",
	KindTextSearchDictionary:       "text search dictionary",
	KindTypedTable:                 "typed table",
}

// kindsByName reads kinds back from their spelling.
var kindsByName = func() map[string]Kind {
	m := make(map[string]Kind, kindEnd)
	for k := kindInvalid + 1; k < kindEnd; k++ {
		if kindNames[k] == "" {
			panic(fmt.Sprintf("schema: kind %d has no name", k))
		}
		if _, dup := m[kindNames[k]]; dup {
			panic("schema: two kinds are spelled " + kindNames[k])
		}
		m[kindNames[k]] = k
	}
	return m
}()

// String spells the kind, e.g. "materialized view".
func (k Kind) String() string {
	if k >= kindEnd {
		return fmt.Sprintf("kind(%d)", uint8(k))
	}
	return kindNames[k]
}

// Literal is the kind's spelling as an SQL string literal, for catalog
// queries that return kinds.
func (k Kind) Literal() string { return Literal(k.String()) }

// IsRoutine reports whether objects of the kind are called with arguments
// (their identity carries the argument types).
func (k Kind) IsRoutine() bool {
	return k == KindFunction || k == KindProcedure || k == KindAggregate
}

// ParseKind reads a kind from its spelling; a spelling of no kind is an
// error, so that a catalog query and this list cannot drift apart.
func ParseKind(s string) (Kind, error) {
	if k, ok := kindsByName[s]; ok {
		return k, nil
	}
	return kindInvalid, fmt.Errorf("unknown object kind %q", s)
}

// MarshalText spells the kind (JSON output).
func (k Kind) MarshalText() ([]byte, error) {
	if k == kindInvalid || k >= kindEnd {
		return nil, fmt.Errorf("marshalling an invalid object kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a kind from its spelling.
func (k *Kind) UnmarshalText(b []byte) error {
	parsed, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = parsed
	return nil
}

// Kinds returns every kind, sorted by spelling.
func Kinds() []Kind {
	out := make([]Kind, 0, kindEnd-1)
	for k := kindInvalid + 1; k < kindEnd; k++ {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return kindNames[out[i]] < kindNames[out[j]] })
	return out
}
