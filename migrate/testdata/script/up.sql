-- Up of 3 migration(s), as schemadiff's runner runs them.
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

-- migration 20260101000001 create_users: Up, 1 step(s)
BEGIN;
CREATE TABLE users (id bigint PRIMARY KEY);
INSERT INTO "public"."schemadiff_migrations" (version, name, duration_ms, checksum) VALUES ('20260101000001', 'create_users', 0, '97fca1de915dc874324aed9796e496ae1796c3d4f5fea42349bc05409a402ca8');
COMMIT;

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

-- migration 20260101000003 add_nickname: Up, 2 step(s)
-- runs WITHOUT a transaction: each statement commits on its own, and a failure leaves the migration partly applied
-- step 1 of 2, outside any transaction
CREATE INDEX CONCURRENTLY users_id ON users (id);
-- step 2 of 2, outside any transaction
ALTER TABLE users ADD COLUMN nickname text;
INSERT INTO "public"."schemadiff_migrations" (version, name, duration_ms, checksum) VALUES ('20260101000003', 'add_nickname', 0, '7abdb1ed9664773cc7c1462ad5ad47c10c9ec6001844b977f71d09913eb0734a');
