package schema

import "fmt"

// Position locates a definition in a schema file.
type Position struct {
	File string
	Line int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }
