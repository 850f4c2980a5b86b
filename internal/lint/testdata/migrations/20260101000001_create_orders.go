package migrations

import "github.com/schemadiff/schemadiff/migrate"

// A new table: nothing on it is dangerous.
func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260101000001", Name: "create_orders",
		Up: []migrate.Step{
			migrate.SQL(`CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total numeric)`),
			migrate.SQL(`CREATE INDEX orders_customer ON orders (customer_id);
ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0)`),
		},
		Down: []migrate.Step{migrate.SQL(`DROP TABLE orders`)},
	})
}
