-- A new enum label is used by the same plan (as a default): a migration runs
-- in one transaction, where a label added by ALTER TYPE ... ADD VALUE cannot
-- be used before it commits.
CREATE TYPE status AS ENUM ('new', 'active', 'done');
CREATE TABLE tickets (id int PRIMARY KEY, s status NOT NULL DEFAULT 'active');
