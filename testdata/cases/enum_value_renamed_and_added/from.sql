-- A value renamed by a hint and a value added after it: the rename runs
-- first, so the plan runs statement by statement (the ADD VALUE still
-- commits before its use).
CREATE TYPE status AS ENUM ('active', 'done');
CREATE TABLE t (id int, s status DEFAULT 'active');
