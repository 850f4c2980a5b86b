package app

// Describe is an ordinary function: files without schemadiff directives
// are read only for their types.
func Describe(s Status) string { return string(s) }
