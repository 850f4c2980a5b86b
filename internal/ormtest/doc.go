// Package ormtest checks, against the real ORMs and a real PostgreSQL, that
// schemadiff reads ORM models as the tables the ORMs create. It is a module
// of its own so that the schemadiff module does not depend on the ORMs.
package ormtest
