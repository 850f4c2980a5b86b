package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/lint"
	"github.com/schemadiff/schemadiff/schema"
)

// formatGitHub is the --format of check and lint that writes GitHub
// workflow annotations.
const formatGitHub = "github"

// writeDriftAnnotations writes one GitHub error annotation per change of a
// drift check, at the schema file and line where its object (or, for an
// object of a table, the table) is defined in the desired state. An object
// the schema files do not define (it is to be dropped) or whose definition
// cannot be located gets an annotation without a file, naming it.
func writeDriftAnnotations(w io.Writer, desired *schema.Catalog, p emit.Plan) error {
	var b strings.Builder
	for _, c := range p.Changes {
		a := lint.Annotation{Level: "error", Title: "schemadiff check: " + string(c.Op) + " " + c.Object.KindName(),
			Message: driftMessage(c)}
		if pos, ok := sourceOf(desired, c.Object); ok {
			a.File, a.Line = pos.File, pos.Line
		}
		b.WriteString(a.String())
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// driftMessage says what the database or migrations lack, and the
// statements that would fix it.
func driftMessage(c diff.Change) string {
	var b strings.Builder
	switch c.Op {
	case diff.OpCreate:
		fmt.Fprintf(&b, "%s is defined here but missing from the target: the plan would create it", c.Object)
	case diff.OpDrop:
		fmt.Fprintf(&b, "%s is not in the desired schema: the plan would drop it", c.Object)
	default:
		fmt.Fprintf(&b, "%s differs from its definition here: the plan would alter it", c.Object)
	}
	for _, s := range c.Statements {
		b.WriteString("\n  ")
		b.WriteString(strings.TrimSpace(s.SQL))
		b.WriteByte(';')
	}
	return b.String()
}

// sourceOf locates an object's definition in the schema files: its own,
// else that of its table.
func sourceOf(desired *schema.Catalog, id schema.ID) (schema.Position, bool) {
	if desired == nil {
		return schema.Position{}, false
	}
	if p, ok := desired.Sources[id]; ok {
		return p, true
	}
	if id.Table != "" {
		p, ok := desired.Sources[schema.ID{Kind: schema.KindTable, Schema: id.Schema, Name: id.Table}]
		return p, ok
	}
	return schema.Position{}, false
}
