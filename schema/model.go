// Package schema is schemadiff's object model: a Catalog of typed PostgreSQL
// objects with their identities and dependencies. Both the desired state (SQL
// files loaded into a scratch database) and the current state (a live
// database) are read into this model by the same introspection code, so every
// expression and type name in it is PostgreSQL's own canonical text
// (format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef, ...).
//
// Names are stored unquoted. Quoting happens only through Ident,
// QualifiedIdent and Literal.
package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// ID identifies an object. Table-owned objects (columns, constraints,
// triggers, policies) carry their table's name in Table; functions carry
// their argument types in Args.
type ID struct {
	Kind   Kind
	Schema string
	Name   string
	Table  string
	Args   string
	// Of is, for the facets of an object that change apart from it
	// (KindPrivileges), the kind of that object.
	Of Kind
}

// String renders the identity for messages and stable sorting, e.g.
// `column public.users.email` or `function public.f(integer)`.
func (id ID) String() string {
	var b strings.Builder
	b.WriteString(id.KindName())
	b.WriteByte(' ')
	if id.Schema != "" {
		b.WriteString(id.Schema)
		b.WriteByte('.')
	}
	if id.Table != "" {
		b.WriteString(id.Table)
		b.WriteByte('.')
	}
	b.WriteString(id.Name)
	if id.Kind.IsRoutine() {
		b.WriteString("(" + id.Args + ")")
	}
	return b.String()
}

// KindName spells the identity's kind, e.g. "table", or "privileges on
// table" for KindPrivileges.
func (id ID) KindName() string {
	if id.Kind == KindPrivileges {
		return id.Kind.String() + " on " + id.Of.String()
	}
	return id.Kind.String()
}

// Compare orders IDs by kind, schema, table, name and arguments.
func (id ID) Compare(o ID) int {
	return cmp.Or(
		cmp.Compare(id.KindName(), o.KindName()),
		cmp.Compare(id.Schema, o.Schema),
		cmp.Compare(id.Table, o.Table),
		cmp.Compare(id.Name, o.Name),
		cmp.Compare(id.Args, o.Args),
	)
}

// QName is a schema-qualified name.
type QName struct {
	Schema string
	Name   string
}

// Quoted renders the name as quoted SQL.
func (q QName) Quoted() string { return QualifiedIdent(q.Schema, q.Name) }

func (q QName) String() string { return q.Schema + "." + q.Name }

// Compare orders qualified names by schema then name.
func (q QName) Compare(o QName) int {
	return cmp.Or(cmp.Compare(q.Schema, o.Schema), cmp.Compare(q.Name, o.Name))
}

// Catalog is the whole modelled state of one database.
type Catalog struct {
	Schemas    map[string]*Schema
	Extensions map[string]*Extension
	Enums      map[QName]*Enum
	Sequences  map[QName]*Sequence
	Tables     map[QName]*Table
	Views      map[QName]*View
	Functions  map[ID]*Function
	Domains    map[QName]*Domain
	Composites map[QName]*CompositeType
	Ranges     map[QName]*RangeType
	// EventTriggers are the database's event triggers, by name.
	EventTriggers map[string]*EventTrigger
	Collations    map[QName]*Collation
	// DefaultPrivileges are the privileges objects get when they are
	// created (ALTER DEFAULT PRIVILEGES), where they differ from
	// PostgreSQL's built-in defaults.
	DefaultPrivileges map[DefaultACL][]Grant
	// CurrentUser is the role the catalog was read as. Default privileges
	// of that role are kept under the role "".
	CurrentUser string
	// Unsupported lists objects that exist but that schemadiff does not
	// manage yet. They are reported by name and never changed.
	Unsupported []ID
	// Casts are the conversions pg_cast lists, by the names of their
	// types as format_type prints them without modifiers.
	Casts map[TypePair]CastContext
	// Servers are the foreign servers, by name; UserMappings their user
	// mappings.
	Servers      map[string]*ForeignServer
	UserMappings map[UserMappingKey]*UserMapping
	// UserCasts are the casts created by CREATE CAST (not by PostgreSQL
	// or an extension), by their types.
	UserCasts map[TypePair]*Cast
	// Publications are the publications for logical replication, by name.
	Publications map[string]*Publication
	// Sources locate the desired state's objects in its schema files, for
	// messages; a catalog read from a database has none.
	Sources map[ID]Position
	// Conversions are the conversion hints of the desired state's columns
	// (-- schemadiff:using), by column; a catalog read from a database has
	// none.
	Conversions map[ID]Conversion
}

// TypePair names a conversion from one type to another.
type TypePair struct {
	From, To string
}

// CastContext is pg_cast.castcontext: where PostgreSQL applies a cast on
// its own.
type CastContext string

// Cast contexts.
const (
	CastImplicit   CastContext = "i"
	CastAssignment CastContext = "a"
	CastExplicit   CastContext = "e"
)

// NewCatalog returns an empty catalog with its maps allocated.
func NewCatalog() *Catalog {
	return &Catalog{
		Schemas:    map[string]*Schema{},
		Extensions: map[string]*Extension{},
		Enums:      map[QName]*Enum{},
		Sequences:  map[QName]*Sequence{},
		Tables:     map[QName]*Table{},
		Views:      map[QName]*View{},
		Functions:  map[ID]*Function{},
		Domains:    map[QName]*Domain{},
		Composites: map[QName]*CompositeType{},
		Ranges:     map[QName]*RangeType{},

		EventTriggers: map[string]*EventTrigger{},
		Collations:    map[QName]*Collation{},

		DefaultPrivileges: map[DefaultACL][]Grant{},

		Casts: map[TypePair]CastContext{},

		Servers:      map[string]*ForeignServer{},
		UserMappings: map[UserMappingKey]*UserMapping{},
		UserCasts:    map[TypePair]*Cast{},
		Publications: map[string]*Publication{},
	}
}

// DefaultACL identifies one set of default privileges: those objects of one
// kind get when a role creates them, in one schema or in any.
type DefaultACL struct {
	// Role creates the objects; "" is the role that reads the catalog and
	// runs the migrations.
	Role string
	// Schema is "" for the privileges that apply in every schema.
	Schema string
	// Objects is the kind as ALTER DEFAULT PRIVILEGES names it: TABLES,
	// SEQUENCES, FUNCTIONS, TYPES or SCHEMAS.
	Objects string
}

// BuiltinDefaultGrants returns the privileges PostgreSQL gives others than
// the owner on a new object of the kind objects (as DefaultACL.Objects
// names it), before any ALTER DEFAULT PRIVILEGES.
func BuiltinDefaultGrants(objects string) []Grant {
	switch objects {
	case "FUNCTIONS":
		return []Grant{{Grantee: "PUBLIC", Privilege: "EXECUTE"}}
	case "TYPES":
		return []Grant{{Grantee: "PUBLIC", Privilege: "USAGE"}}
	}
	return nil
}

// Schema is a namespace. The public schema exists in every database and is
// never created or dropped by a plan.
type Schema struct {
	Name    string
	Comment string
	Grants  []Grant
}

// Extension is an installed extension. Objects that belong to an extension
// are not part of the catalog.
type Extension struct {
	Name    string
	Schema  string
	Version string
	Comment string
}

// Enum is an enum type with its labels in sort order.
type Enum struct {
	QName
	Values  []string
	Comment string
	Grants  []Grant
}

// Sequence is a standalone sequence (identity sequences live on their
// column). Owned is set when the sequence is OWNED BY a column.
type Sequence struct {
	QName
	SequenceOptions
	OwnedBy *ColumnRef
	// Unlogged is CREATE UNLOGGED SEQUENCE.
	Unlogged bool
	Comment  string
	Grants   []Grant
}

// SequenceOptions are the options shared by sequences and identity columns.
type SequenceOptions struct {
	Type      string // "bigint", "integer" or "smallint"
	Start     int64
	Increment int64
	Min       int64
	Max       int64
	Cache     int64
	Cycle     bool
}

// ColumnRef names one column of a table.
type ColumnRef struct {
	Table  QName
	Column string
}

// Table is an ordinary table.
type Table struct {
	QName
	Unlogged    bool
	Columns     []*Column
	Constraints []*Constraint
	Indexes     []*Index
	Triggers    []*Trigger
	Rules       []*Rule
	Policies    []*Policy
	// Statistics are the extended statistics objects on the table.
	Statistics []*Statistics
	// PartitionKey is pg_get_partkeydef of a partitioned table, e.g.
	// "RANGE (created_at)", or "".
	PartitionKey string
	// PartitionOf is the parent of a partition, and PartitionBound its
	// bound as pg_get_expr prints it ("FOR VALUES FROM (1) TO (10)" or
	// "DEFAULT").
	PartitionOf    *QName
	PartitionBound string
	// Inherits lists the parents of a table that uses (non-partition)
	// inheritance, in declaration order.
	Inherits []QName
	// RowSecurity and ForceRowSecurity are ENABLE / FORCE ROW LEVEL
	// SECURITY.
	RowSecurity      bool
	ForceRowSecurity bool
	Comment          string
	Grants           []Grant
	// Options are the storage parameters (WITH (fillfactor=70, ...)) as
	// pg_class.reloptions holds them.
	Options []string
	// ReplicaIdentity is REPLICA IDENTITY; the zero value is DEFAULT (the
	// primary key).
	ReplicaIdentity ReplicaIdentity
	// ClusterOn names the index CLUSTER uses by default, or "".
	ClusterOn string
	// ColumnGrants are column privileges (GRANT SELECT (c) ON t), by
	// column name.
	ColumnGrants map[string][]Grant
	// Foreign is set for a foreign table.
	Foreign *ForeignTable
	// AttachedIndexes are the indexes of a partition attached to an index
	// of its parent, by name.
	AttachedIndexes []*AttachedIndex
	// ParentConstraints are the constraints a partition holds as copies of
	// its parent's (foreign keys, checks, primary and unique keys), by
	// name: they change through the parent, but DETACH PARTITION leaves
	// them on the partition as its own.
	ParentConstraints []*Constraint
}

// ReplicaKind is the kind of a table's REPLICA IDENTITY.
type ReplicaKind string

// The kinds of REPLICA IDENTITY, as ALTER TABLE writes them.
const (
	ReplicaDefault ReplicaKind = ""
	ReplicaFull    ReplicaKind = "FULL"
	ReplicaNothing ReplicaKind = "NOTHING"
	ReplicaIndex   ReplicaKind = "USING INDEX"
)

// ReplicaIdentity is a table's REPLICA IDENTITY: its kind and, for
// ReplicaIndex, the (unquoted) name of the index in the table's schema.
type ReplicaIdentity struct {
	Kind  ReplicaKind
	Index string
}

// AttachedIndex is an index of a partition attached to an index of its
// parent: made by the parent's CREATE INDEX or ADD CONSTRAINT, by PARTITION
// OF or ATTACH PARTITION, or attached with ALTER INDEX ... ATTACH
// PARTITION. One that backs a primary key, unique or exclusion constraint
// names the partition's constraint too.
type AttachedIndex struct {
	// Name is the index's name, in its table's schema.
	Name string
	// Parent is the parent table's index it is attached to.
	Parent QName
	// Definition is pg_get_indexdef of the index.
	Definition string
	// Constraint is the type of the constraint it backs, or "".
	Constraint ConstraintType
	// ParentColumns are the column names of the parent index, from which
	// PostgreSQL names the indexes it makes for partitions.
	ParentColumns []string
}

// AttachedIndex returns the partition's index attached to parent, or nil.
func (t *Table) AttachedIndex(parent QName) *AttachedIndex {
	for _, a := range t.AttachedIndexes {
		if a.Parent == parent {
			return a
		}
	}
	return nil
}

// Column returns the named column, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Constraint returns the named constraint, or nil.
func (t *Table) Constraint(name string) *Constraint {
	for _, c := range t.Constraints {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Identity is a column's identity kind.
type Identity string

// Identity kinds, as in pg_attribute.attidentity.
const (
	IdentityNone      Identity = ""
	IdentityAlways    Identity = "a"
	IdentityByDefault Identity = "d"
)

// Column is a table column.
type Column struct {
	Name string
	// Type is format_type(atttypid, atttypmod), e.g. "character varying(20)",
	// "numeric(10,2)", "public.mood[]" (schema-qualified unless in
	// pg_catalog).
	Type string
	// TypeDeps are the user-defined types the column's type refers to.
	TypeDeps []QName
	NotNull  bool
	// Default is pg_get_expr(adbin) of a non-generated default, or "".
	Default string
	// Generated is the expression of a GENERATED ALWAYS AS (...) STORED
	// column, or "".
	Generated string
	Identity  Identity
	// IdentitySequence holds the identity sequence's options when Identity
	// is set.
	IdentitySequence *SequenceOptions
	// Collation is the column's collation when it differs from its type's
	// default, schema-qualified (e.g. `pg_catalog."C"` rendered as
	// QName{"pg_catalog","C"}).
	Collation *QName
	// IdentitySequenceName is the identity sequence's name when it is not
	// the one PostgreSQL derives (IdentitySequenceDefaultName), else nil.
	IdentitySequenceName *QName
	// StatsTarget is ALTER COLUMN SET STATISTICS, or -1 for the default.
	StatsTarget int
	// Storage is SET STORAGE (PLAIN, EXTERNAL, EXTENDED, MAIN) when it is
	// not the type's default, else "". TypeStorage is the type's default.
	Storage     string
	TypeStorage string
	// Options are the attribute options (SET (n_distinct=100)).
	Options []string
	// FdwOptions are the options of a foreign table's column.
	FdwOptions []FdwOption
	Comment    string
	// SequenceDeps are the sequences the default expression uses (nextval).
	SequenceDeps []QName
	// Deps are the other user objects the column depends on (types,
	// functions in its default or generation expression), from pg_depend.
	Deps []ID
	// Inherited is set for a column that comes only from a parent table
	// (partitions, inheritance): it changes through the parent.
	Inherited bool
}

// ConstraintType is pg_constraint.contype.
type ConstraintType string

// Constraint types.
const (
	PrimaryKey ConstraintType = "p"
	Unique     ConstraintType = "u"
	Check      ConstraintType = "c"
	ForeignKey ConstraintType = "f"
	Exclusion  ConstraintType = "x"
)

// Constraint is a table constraint.
type Constraint struct {
	Name string
	Type ConstraintType
	// Definition is pg_get_constraintdef(oid): everything after
	// "CONSTRAINT name", e.g. "FOREIGN KEY (a) REFERENCES public.t(id) ON
	// DELETE CASCADE DEFERRABLE".
	Definition string
	// Columns are the constrained columns, in key order.
	Columns []string
	// References is the referenced table of a foreign key.
	References *QName
	// RefColumns are the referenced columns of a foreign key.
	RefColumns []string
	// Validated is false for a constraint added NOT VALID and not yet
	// validated.
	Validated bool
	Comment   string
	// Deps are the user objects the constraint depends on besides its
	// columns (e.g. functions a CHECK calls), from pg_depend.
	Deps []ID
}

// Index is an index that does not back a constraint.
type Index struct {
	QName
	Table QName
	// Unique is CREATE UNIQUE INDEX.
	Unique bool
	// Only is set for an index of a partitioned table, which
	// pg_get_indexdef prints ON ONLY.
	Only bool
	// Method is the access method, e.g. "btree".
	Method string
	// Keys are the key columns and expressions, each as pg_get_indexdef
	// prints it with its collation, operator class and ordering, e.g.
	// "lower(b) text_pattern_ops" or "a DESC NULLS LAST". Expressions stay
	// the server's text, as column defaults and check constraints do.
	Keys []string
	// Include are the INCLUDE columns.
	Include []string
	// NullsNotDistinct is NULLS NOT DISTINCT.
	NullsNotDistinct bool
	// With are the storage parameters as printed inside WITH (...), e.g.
	// "fillfactor='70'", or "".
	With string
	// Where is the predicate of a partial index as printed, e.g.
	// "(a > 0)", or "".
	Where string
	// Columns are the table columns the index uses (keys, INCLUDE, and
	// those referenced from expressions and predicates).
	Columns []string
	Comment string
	// Deps are the user objects the index depends on besides its columns
	// (functions, collations, operator classes' types).
	Deps []ID
	// Invalid is set for an index left INVALID by a failed or interrupted
	// CREATE INDEX CONCURRENTLY.
	Invalid bool
}

// SortedIDs returns an ID-keyed map's keys in order.
func SortedIDs[V any](m map[ID]V) []ID {
	keys := make([]ID, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, ID.Compare)
	return keys
}

// SortedKeys returns a map's keys in order.
func SortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// SortedQNames returns a QName-keyed map's keys in order.
func SortedQNames[V any](m map[QName]V) []QName {
	keys := make([]QName, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, QName.Compare)
	return keys
}

// ParseQName splits a possibly quoted "schema.name" as printed by PostgreSQL
// (regclass/regtype output) into its parts. A name without a schema gets
// defaultSchema.
func ParseQName(s, defaultSchema string) (QName, error) {
	parts, err := splitQuoted(s)
	if err != nil {
		return QName{}, err
	}
	switch len(parts) {
	case 1:
		return QName{defaultSchema, parts[0]}, nil
	case 2:
		return QName{parts[0], parts[1]}, nil
	}
	return QName{}, fmt.Errorf("parsing qualified name %q: %d parts", s, len(parts))
}

// splitQuoted splits a name as PostgreSQL prints it into its parts, as
// they are: PostgreSQL quotes whatever is not already in canonical form.
func splitQuoted(s string) ([]string, error) {
	parts, open := splitDottedName(s)
	if open {
		return nil, fmt.Errorf("parsing qualified name %q: unterminated quote", s)
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = joinSegments(p, nil)
	}
	return out, nil
}

// IdentitySequenceDefaultName is the name PostgreSQL gives the identity (or
// serial) sequence of column col of table: table_col_seq, with the longer
// of the two names shortened until it fits in 63 bytes (ObjectName).
func IdentitySequenceDefaultName(table, col string) string {
	return ObjectName(table, col, "seq")
}
