package schema

// Grant is one privilege on an object held by a grantee ("PUBLIC" for
// everyone). Privileges the owner holds by default are not listed.
type Grant struct {
	Grantee   string
	Privilege string // "SELECT", "INSERT", "USAGE", "EXECUTE", ...
	Grantable bool
}

// View is a view or a materialized view.
type View struct {
	QName
	Materialized bool
	// Definition is pg_get_viewdef(oid, false): the query, as PostgreSQL
	// prints it, with every expression parenthesized. The pretty form
	// (true) drops the parentheses of nested AND and OR, so a view created
	// from it would not have the same expression tree.
	Definition string
	// Columns are the view's output columns in order, with their types
	// (format_type), which decide whether CREATE OR REPLACE is possible.
	Columns []ViewColumn
	// Options are reloptions such as "security_barrier=true" or
	// "check_option=local", sorted.
	Options []string
	// Indexes are a materialized view's indexes.
	Indexes []*Index
	// Triggers are a view's INSTEAD OF triggers.
	Triggers []*Trigger
	// Rules are the view's rewrite rules other than the one defining it.
	Rules   []*Rule
	Comment string
	Grants  []Grant
	// ColumnGrants are column privileges, by column name.
	ColumnGrants map[string][]Grant
	// Deps are the objects the view uses (pg_depend through its rewrite
	// rule): tables, columns, views, functions, types.
	Deps []ID
}

// ViewColumn is one output column of a view.
type ViewColumn struct {
	Name    string
	Type    string
	Comment string
	// Default is ALTER VIEW ... ALTER COLUMN ... SET DEFAULT (used by
	// INSERTs through the view), or "".
	Default string
}

// ID returns the view's identity.
func (v *View) ID() ID {
	k := KindView
	if v.Materialized {
		k = KindMaterializedView
	}
	return ID{Kind: k, Schema: v.Schema, Name: v.Name}
}

// Function is a function or a procedure. Aggregates are not modelled yet.
type Function struct {
	Schema string
	Name   string
	// Kind is KindFunction or KindProcedure.
	Kind Kind
	// IdentityArgs is pg_get_function_identity_arguments: the argument
	// types that, with the name, identify the function.
	IdentityArgs string
	// Arguments is pg_get_function_arguments: names, modes and defaults.
	Arguments string
	// OrderedArgTypes are, for an ordered-set or hypothetical-set
	// aggregate, the types of all its arguments, the direct ones then the
	// aggregated ones (the form GRANT names it by); nil otherwise.
	OrderedArgTypes []string
	// Result is pg_get_function_result ("" for procedures).
	Result string
	// Definition is pg_get_functiondef: a complete CREATE OR REPLACE
	// statement.
	Definition string
	// Language is the language name, e.g. "sql" or "plpgsql".
	Language string
	// Body is prosrc, for finding dependencies PostgreSQL does not record.
	Body    string
	Comment string
	Grants  []Grant
	// Deps are the objects the function uses: argument and result types
	// (from pg_depend) and relations, functions and types its body names.
	Deps []ID
	// UntrackedDeps is set when the body could not be analysed, so
	// dependencies may be missing; UntrackedReason says why.
	UntrackedDeps   bool
	UntrackedReason string
	// BodyError is the database's message when the body does not pass its
	// language's check against the rest of the schema: it was accepted
	// before something it uses changed. Only a desired state loaded from
	// schema files sets it (the check needs a database it may write to);
	// such a function is created with check_function_bodies off.
	BodyError string
}

// ID returns the function's identity.
func (f *Function) ID() ID {
	return ID{Kind: f.Kind, Schema: f.Schema, Name: f.Name, Args: f.IdentityArgs}
}

// Trigger is a trigger on a table (or a view, for INSTEAD OF triggers).
type Trigger struct {
	Name  string
	Table QName
	// Definition is pg_get_triggerdef(oid): a complete CREATE [CONSTRAINT]
	// TRIGGER statement.
	Definition string
	// Enabled is pg_trigger.tgenabled: "O" (origin, the default), "D"
	// (disabled), "R" (replica) or "A" (always).
	Enabled string
	Comment string
	Deps    []ID
}

// ID returns the trigger's identity.
func (t *Trigger) ID() ID {
	return ID{Kind: KindTrigger, Schema: t.Table.Schema, Table: t.Table.Name, Name: t.Name}
}

// Policy is a row-level security policy.
type Policy struct {
	Name       string
	Table      QName
	Permissive bool
	// Command is "ALL", "SELECT", "INSERT", "UPDATE" or "DELETE".
	Command string
	// Roles are the roles the policy applies to, sorted; "PUBLIC" for all.
	Roles []string
	// Using and Check are pg_get_expr of the USING and WITH CHECK
	// expressions, or "".
	Using   string
	Check   string
	Comment string
	Deps    []ID
}

// ID returns the policy's identity.
func (p *Policy) ID() ID {
	return ID{Kind: KindPolicy, Schema: p.Table.Schema, Table: p.Table.Name, Name: p.Name}
}

// Domain is a domain type.
type Domain struct {
	QName
	// BaseType is format_type of the underlying type.
	BaseType    string
	Collation   *QName
	Default     string
	NotNull     bool
	Constraints []*DomainConstraint
	Comment     string
	Grants      []Grant
	Deps        []ID
}

// DomainConstraint is a named CHECK constraint of a domain.
type DomainConstraint struct {
	Name string
	// Definition is pg_get_constraintdef, e.g. "CHECK ((VALUE > 0))".
	Definition string
	Validated  bool
	Comment    string
}

// CompositeType is a standalone composite type (CREATE TYPE ... AS (...)).
type CompositeType struct {
	QName
	Attributes []*Attribute
	Comment    string
	Grants     []Grant
	Deps       []ID
}

// Attribute is one attribute of a composite type.
type Attribute struct {
	Name      string
	Type      string
	Collation *QName
	Comment   string
}

// Collation is a user-defined collation.
type Collation struct {
	QName
	// Provider is "c" (libc), "i" (icu) or "d" (default).
	Provider      string
	Collate       string
	Ctype         string
	Locale        string // ICU locale
	Deterministic bool
	Comment       string
}

// Statistics is an extended statistics object (CREATE STATISTICS) on a
// table.
type Statistics struct {
	QName
	Table QName
	// Definition is pg_get_statisticsobjdef: a complete CREATE STATISTICS
	// statement.
	Definition string
	// Target is the statistics target ALTER STATISTICS set, or -1.
	Target  int
	Comment string
	// Deps are the columns and other objects it uses.
	Deps []ID
}

// ID returns the statistics object's identity.
func (s *Statistics) ID() ID {
	return ID{Kind: KindStatistics, Schema: s.Schema, Name: s.Name}
}

// RangeType is a range type (CREATE TYPE ... AS RANGE). Options at their
// defaults are "".
type RangeType struct {
	QName
	// Subtype is the element type, as format_type prints it.
	Subtype string
	// Opclass is the subtype's b-tree operator class, schema-qualified.
	Opclass string
	// Collation is the subtype's collation, when it has one other than
	// its default.
	Collation *QName
	// Canonical and SubtypeDiff are functions, schema-qualified.
	Canonical   string
	SubtypeDiff string
	// Multirange is the multirange type's name when it is not the one
	// PostgreSQL derives from the range's name.
	Multirange string
	Comment    string
	Grants     []Grant
	// Deps are the objects it uses (subtype, functions, collation).
	Deps []ID
}

// Rule is a rewrite rule (CREATE RULE) on a table or view.
type Rule struct {
	Name  string
	Table QName
	// Definition is pg_get_ruledef without its final semicolon: a
	// complete CREATE RULE statement.
	Definition string
	// Enabled is pg_rewrite.ev_enabled: O (origin), D (disabled), R
	// (replica) or A (always).
	Enabled string
	Comment string
	// Deps are the relations and columns the rule uses, and its own table
	// or view.
	Deps []ID
}

// ID returns the rule's identity.
func (r *Rule) ID() ID {
	return ID{Kind: KindRule, Schema: r.Table.Schema, Table: r.Table.Name, Name: r.Name}
}

// EventTrigger is an event trigger (CREATE EVENT TRIGGER) of the database.
type EventTrigger struct {
	Name string
	// Event is ddl_command_start, ddl_command_end, table_rewrite or
	// sql_drop.
	Event string
	// Tags are the command tags of WHEN TAG IN, in written order; none
	// means every command.
	Tags []string
	// Function is the function it executes.
	Function ID
	// Enabled is pg_event_trigger.evtenabled: O, D, R or A.
	Enabled string
	Comment string
}

// ID returns the event trigger's identity.
func (e *EventTrigger) ID() ID { return ID{Kind: KindEventTrigger, Name: e.Name} }
