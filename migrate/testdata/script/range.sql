-- Up of 1 migration(s) (from 20260101000001 to 20260101000002), as schemadiff's runner runs them.
-- WARNING: 1 step(s) are Go functions, whose code is not shown here: run them another way (schemadiff apply runs them).

-- the history table, as the runner creates it
CREATE TABLE IF NOT EXISTS "public"."schemadiff_migrations" (
	version text PRIMARY KEY,
	name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	duration_ms bigint NOT NULL,
	checksum text NOT NULL,
	applied_by text
);

-- migration 20260101000002 create_orders: Up, 3 step(s)
BEGIN;
-- step 1 of 3, in a transaction of its own, committed before the rest; safe to run again
CREATE TYPE mood AS ENUM ('ok');
COMMIT;
BEGIN;
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
-- step 3 of 3: Go function github.com/schemadiff/schemadiff/migrate.backfillNicknames: its code is not shown and does not run here
INSERT INTO "public"."schemadiff_migrations" (version, name, duration_ms, checksum) VALUES ('20260101000002', 'create_orders', 0, '65d9eef92483a7afd6626526b22fb8d9a7ab52d4421ecdd78b95aed2334c821c');
COMMIT;
