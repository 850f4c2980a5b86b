package migrations

import "github.com/schemadiff/schemadiff/migrate"

var Migrations = migrate.NewSet()
