package schema

// Conversion is a conversion hint: how the values of a column reach its
// type in the desired state when the type changes and PostgreSQL has no
// cast between the old type and the new one.
//
// Hints are written in schema files as a comment on a line of its own,
// directly before the column:
//
//	CREATE TABLE events (
//	    -- schemadiff:using to_timestamp(created_at)
//	    -- schemadiff:using-down extract(epoch FROM created_at)::bigint
//	    created_at timestamptz NOT NULL
//	);
//
// Using is the USING expression of the plan to the desired state, in
// terms of the column's old value; UsingDown that of the plan back, in
// terms of the desired value. A hint is used only while the type changes:
// once the database has the desired type it does nothing.
type Conversion struct {
	// Using and UsingDown are SQL expressions, "" when not given.
	Using, UsingDown string
	// File and Line locate the first directive.
	File string
	Line int
}
