package exitmig

import "github.com/schemadiff/schemadiff/migrate"

var Migrations = migrate.NewSet()
