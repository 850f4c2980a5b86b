package slowmig

import "github.com/schemadiff/schemadiff/migrate"

var Migrations = migrate.NewSet()
