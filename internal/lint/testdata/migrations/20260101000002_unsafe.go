package migrations

import "github.com/schemadiff/schemadiff/migrate"

// Every dangerous pattern, on the existing table orders.
func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260101000002", Name: "unsafe",
		Up: []migrate.Step{
			migrate.SQL(`SET lock_timeout = 0`),
			migrate.SQL(`CREATE INDEX orders_total ON orders (total)`),
			migrate.SQL(`
  -- a comment before the statement
  ALTER TABLE orders ADD COLUMN ref uuid DEFAULT gen_random_uuid();
  ALTER TABLE public.orders ADD COLUMN seq bigserial, ADD COLUMN n int GENERATED ALWAYS AS IDENTITY`),
			migrate.SQL("ALTER TABLE orders ALTER COLUMN total TYPE bigint USING total::bigint"),
			migrate.SQL(`ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL`),
			migrate.SQL(`ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)`),
			migrate.SQL(`ALTER TABLE orders ADD CONSTRAINT total_small CHECK (total < 1000000)`),
			migrate.SQL(`ALTER TABLE orders ADD CONSTRAINT orders_token_key UNIQUE (token)`),
			migrate.SQL(`ALTER TABLE orders DROP COLUMN token`),
			migrate.SQL(`DROP TABLE legacy_orders`),
			migrate.SQL(`ALTER TABLE orders ADD COLUMN`),
			migrate.SQL(statement),
			migrate.Func(backfill),
		},
	})
}
