// Package diff compares two catalogs and returns the typed changes that turn
// the first into the second, each with its SQL statements, hazards and
// dependencies. It does not order them: package dag does.
package diff

import (
	"fmt"

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
	// Transaction says how the statement runs relative to the plan's
	// transaction.
	Transaction Transaction `json:"transaction,omitempty"`
	// BuildsIndex names the index a CREATE INDEX CONCURRENTLY statement
	// builds, so that a migration runner can drop the INVALID index a
	// failed build leaves and try again; nil for every other statement.
	BuildsIndex *schema.QName `json:"-"`
}

// Transaction is how a statement runs relative to the transaction that
// holds the rest of a plan.
type Transaction int

// Transaction modes.
const (
	// InTransaction runs in the plan's one transaction.
	InTransaction Transaction = iota
	// OutsideTransaction cannot run in a transaction block (CREATE INDEX
	// CONCURRENTLY): the whole plan then runs statement by statement.
	OutsideTransaction
	// CommitFirst runs in a transaction of its own that commits before the
	// rest of the plan starts, because what follows needs it committed
	// (ALTER TYPE ... ADD VALUE: PostgreSQL refuses a new enum value before
	// it commits). Such statements come first in a plan and are safe to run
	// again (ADD VALUE IF NOT EXISTS), since a run that fails later leaves
	// them committed.
	CommitFirst
)

// String returns "in-transaction", "outside-transaction" or "commit-first".
func (t Transaction) String() string {
	switch t {
	case InTransaction:
		return "in-transaction"
	case OutsideTransaction:
		return "outside-transaction"
	case CommitFirst:
		return "commit-first"
	}
	return fmt.Sprintf("Transaction(%d)", int(t))
}

// MarshalText encodes the mode as its String.
func (t Transaction) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

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
	// Aspect is what the change is beyond its Op and the kind of its
	// Object, when that matters to the order of the plan.
	Aspect Aspect `json:"-"`
}

// Aspect is a fact about a change that neither its operation nor the kind
// of its object tells. Package dag ranks changes from the operation, the
// object kind and the aspect; diff states only what a change is.
type Aspect int

// Change aspects.
const (
	// AspectNone: the operation and the object kind say all.
	AspectNone Aspect = iota
	// AspectComment: the alter only sets or removes the object's comment.
	AspectComment
	// AspectForeignKey: the constraint created is a foreign key, which
	// needs the keys of the table it references.
	AspectForeignKey
	// AspectRebuild: the drop is part of a rebuild that builds the table
	// again under its name (or drops a partition with its rebuilt root),
	// rather than a drop of something the desired state no longer has.
	AspectRebuild
	// AspectUnlink: the alter removes a link between two objects that both
	// stay (ALTER TABLE ... NO INHERIT).
	AspectUnlink
)

// String returns "none", "comment", "foreign-key", "rebuild" or "unlink".
func (a Aspect) String() string {
	switch a {
	case AspectNone:
		return "none"
	case AspectComment:
		return "comment"
	case AspectForeignKey:
		return "foreign-key"
	case AspectRebuild:
		return "rebuild"
	case AspectUnlink:
		return "unlink"
	}
	return fmt.Sprintf("Aspect(%d)", int(a))
}

// constraintAspect is the aspect of the creation of table constraint c.
func constraintAspect(c *schema.Constraint) Aspect {
	if c.Type == schema.ForeignKey {
		return AspectForeignKey
	}
	return AspectNone
}

// Ref names a change by its operation and object.
type Ref struct {
	Op     Op
	Object schema.ID
}
