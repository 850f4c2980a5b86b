// Package diff compares two catalogs and returns the typed changes that turn
// the first into the second, each with its SQL statements, hazards and
// dependencies. It does not order them: package dag does.
package diff

import (
	"github.com/schemadiff/schemadiff/schema"
)

// Op is what a change does to its object.
type Op string

// Change operations.
const (
	OpCreate Op = "create"
	OpDrop   Op = "drop"
	OpAlter  Op = "alter"
)

// HazardKind classifies a risk carried by a statement.
type HazardKind string

// Hazard kinds.
const (
	HazardDeletesData   HazardKind = "deletes-data"
	HazardRewritesTable HazardKind = "rewrites-table"
	HazardLongLock      HazardKind = "long-lock"
	HazardBlocksWrites  HazardKind = "blocks-writes"
	HazardUntrackedDep  HazardKind = "untracked-dependency"
	HazardIrreversible  HazardKind = "irreversible"
	HazardMayFail       HazardKind = "may-fail"
	HazardInvalidBody   HazardKind = "invalid-body"
	// HazardRevokesAccess marks a statement that takes a privilege (or its
	// grant option) away from a grantee that holds it in the current state:
	// whatever relies on it fails afterwards.
	HazardRevokesAccess HazardKind = "revokes-access"
)

// Hazard is a risk of running one statement.
type Hazard struct {
	Kind    HazardKind `json:"kind"`
	Message string     `json:"message"`
}

// Statement is one SQL statement of a change.
type Statement struct {
	SQL     string   `json:"sql"`
	Hazards []Hazard `json:"hazards,omitempty"`
	// NonTransactional marks statements that cannot run inside a transaction
	// block (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE before PG 12).
	NonTransactional bool `json:"non_transactional,omitempty"`
}

// Change is one typed change to one object.
type Change struct {
	Op     Op        `json:"op"`
	Object schema.ID `json:"object"`
	// Statements run in order.
	Statements []Statement `json:"statements"`
	// Requires lists objects that must exist (be created or altered first)
	// before this change runs; for drops, the objects this one depended on in
	// the current state, which must therefore be dropped after it.
	Requires []schema.ID `json:"-"`
	// After names changes that must run before this one when the plan holds
	// them, beyond what Requires implies (e.g. a sequence is dropped only
	// after the column default that used it has changed).
	After []Ref `json:"-"`
	// Phase breaks ties between otherwise unordered changes: lower first.
	Phase int `json:"-"`
}

// Ref names a change by its operation and object.
type Ref struct {
	Op     Op
	Object schema.ID
}
