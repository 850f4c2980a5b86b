-- Down of 3 migration(s), as schemadiff's runner runs them.

-- migration 20260101000003 add_nickname: Down, 2 step(s)
-- runs WITHOUT a transaction: each statement commits on its own, and a failure leaves the migration partly applied
-- step 1 of 2, outside any transaction
DROP INDEX CONCURRENTLY users_id;
-- step 2 of 2, outside any transaction
ALTER TABLE users DROP COLUMN nickname;
DELETE FROM "public"."schemadiff_migrations" WHERE version = '20260101000003';

-- migration 20260101000002 create_orders: Down, 2 step(s)
BEGIN;
DROP TABLE orders;
DROP TYPE mood;
DELETE FROM "public"."schemadiff_migrations" WHERE version = '20260101000002';
COMMIT;

-- migration 20260101000001 create_users: Down, 1 step(s)
BEGIN;
-- HAZARD deletes-data: drops table public.users and all its rows
DROP TABLE users;
DELETE FROM "public"."schemadiff_migrations" WHERE version = '20260101000001';
COMMIT;
