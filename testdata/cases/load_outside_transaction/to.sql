-- Loading the desired state falls back to one statement at a time when a
-- statement cannot run in a transaction block.
CREATE TYPE s AS ENUM ('a');
ALTER TYPE s ADD VALUE 'b';
CREATE TABLE t (id int, x s DEFAULT 'b');
CREATE INDEX CONCURRENTLY t_x_idx ON t (x);
