package schema

import "fmt"

// Rename is a rename hint: the object named Name (of Kind) in the desired
// state was called From before.
//
// Hints are written in schema files as a comment on a line of its own,
// directly before what was renamed:
//
//	-- schemadiff:renamed-from customers
//	CREATE TABLE clients (...);
type Rename struct {
	// Kind is KindTable, KindColumn, KindConstraint, KindIndex, KindEnum,
	// KindSequence, KindView, KindMaterializedView, KindSchema or
	// KindEnumValue.
	Kind Kind
	// Schema is the schema of the object, or of the table or type owning
	// it; "" for KindSchema.
	Schema string
	// Table is the owning table of a column or constraint, or the enum type
	// owning an enum value; "" otherwise.
	Table string
	// Name is the new name, unquoted.
	Name string
	// From is the old name, unquoted: an unquoted identifier in the
	// directive is folded to lower case, a "quoted" one is kept as written.
	From string
	// FromSchema is the schema a table was in before, when the directive
	// names it qualified (renamed-from old_schema.old_name) because the
	// table moves to another schema; "" when the schema stays.
	FromSchema string
	// File and Line locate the directive.
	File string
	Line int
}

// ID returns the identity of the renamed object in the desired state.
func (r Rename) ID() ID {
	return ID{Kind: r.Kind, Schema: r.Schema, Table: r.Table, Name: r.Name}
}

// FromID returns the identity the object had before the rename.
func (r Rename) FromID() ID {
	id := ID{Kind: r.Kind, Schema: r.Schema, Table: r.Table, Name: r.From}
	if r.FromSchema != "" {
		id.Schema = r.FromSchema
	}
	return id
}

// CheckRenames rejects two objects renamed from the same old name, naming
// both directives.
func CheckRenames(renames []Rename) error {
	seen := map[ID]Rename{}
	for _, r := range renames {
		id := r.FromID()
		if first, ok := seen[id]; ok {
			return fmt.Errorf("%s:%d: %s and %s are both renamed from %s (the other directive is at %s:%d)",
				r.File, r.Line, first.ID(), r.ID(), Ident(r.From), first.File, first.Line)
		}
		seen[id] = r
	}
	return nil
}
