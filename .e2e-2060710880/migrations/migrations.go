// Package migrations holds this project's schema migrations.
package migrations

import "github.com/schemadiff/schemadiff/migrate"

// Migrations is the set of this package's migrations, applied in version order.
var Migrations = migrate.NewSet()
