package schema

// CastMethod is pg_cast.castmethod: how a cast converts a value.
type CastMethod string

// The methods of a cast.
const (
	// CastWithFunction calls a function (WITH FUNCTION f(source)).
	CastWithFunction CastMethod = "f"
	// CastBinary reinterprets the value (WITHOUT FUNCTION).
	CastBinary CastMethod = "b"
	// CastInOut goes through the types' text forms (WITH INOUT).
	CastInOut CastMethod = "i"
)

// Cast is a user-defined cast: one created by CREATE CAST, not by
// PostgreSQL or an extension.
type Cast struct {
	// Source and Target are the types, as format_type prints them without
	// modifiers (schema-qualified unless in pg_catalog).
	Source, Target string
	Method         CastMethod
	// Function is the function a CastWithFunction calls; zero otherwise.
	Function ID
	// Context is where PostgreSQL applies the cast: explicitly only, in
	// assignments (AS ASSIGNMENT) or implicitly (AS IMPLICIT).
	Context CastContext
	Comment string
	// Deps are the function and the user-defined types the cast uses.
	Deps []ID
}

// ID returns the cast's identity.
func (c *Cast) ID() ID { return CastID(c.Source, c.Target) }

// CastID is the identity of the cast from type source to type target.
func CastID(source, target string) ID {
	return ID{Kind: KindCast, Name: source + " AS " + target}
}
