CREATE TABLE enabled_then_disabled (id integer);
CREATE TABLE plain_then_forced (id integer);
CREATE TABLE forced_then_enabled (id integer);
CREATE TABLE unchanged (id integer);
-- a new table with row-level security and a policy
CREATE TABLE "New Table" (id integer, owner name DEFAULT current_user);

ALTER TABLE plain_then_forced ENABLE ROW LEVEL SECURITY;
ALTER TABLE plain_then_forced FORCE ROW LEVEL SECURITY;
ALTER TABLE forced_then_enabled ENABLE ROW LEVEL SECURITY;
ALTER TABLE unchanged ENABLE ROW LEVEL SECURITY;
ALTER TABLE unchanged FORCE ROW LEVEL SECURITY;
ALTER TABLE "New Table" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Owner Only" ON "New Table" USING (owner = current_user);
