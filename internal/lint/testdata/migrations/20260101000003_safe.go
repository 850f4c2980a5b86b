package migrations

import (
	"time"

	"github.com/schemadiff/schemadiff/migrate"
)

// The safe forms of the same changes: nothing to report.
func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260101000003", Name: "safe",
		LockTimeout: 2 * time.Second,
		Up: []migrate.Step{
			migrate.SQLCreateIndexConcurrently("", "orders_total2", `CREATE INDEX CONCURRENTLY orders_total2 ON orders (total)`),
			migrate.SQL(`ALTER TABLE orders ADD COLUMN created timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN note text DEFAULT 'none';
ALTER TABLE orders ADD CONSTRAINT orders_customer_nn CHECK (customer_id IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_nn;
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk2 FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk2`),
			// HAZARD data loss: drops column note
			migrate.SQL(`ALTER TABLE orders DROP COLUMN note`),
			migrate.SQL(`SET lock_timeout = '5s'`),
		},
	})
}
