CREATE TABLE enabled_then_disabled (id integer);
CREATE TABLE plain_then_forced (id integer);
CREATE TABLE forced_then_enabled (id integer);
CREATE TABLE unchanged (id integer);

ALTER TABLE enabled_then_disabled ENABLE ROW LEVEL SECURITY;
ALTER TABLE forced_then_enabled FORCE ROW LEVEL SECURITY;
ALTER TABLE unchanged ENABLE ROW LEVEL SECURITY;
ALTER TABLE unchanged FORCE ROW LEVEL SECURITY;
