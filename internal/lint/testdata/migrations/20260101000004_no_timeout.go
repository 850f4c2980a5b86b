package migrations

import "github.com/schemadiff/schemadiff/migrate"

// A migration that turns the runner's lock_timeout off.
func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260101000004", Name: "no_timeout",
		LockTimeout: -1,
		Up: []migrate.Step{
			migrate.SQL(`ALTER TABLE orders RENAME COLUMN total TO amount`),
		},
	})
}
