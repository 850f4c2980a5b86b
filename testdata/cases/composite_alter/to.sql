CREATE TYPE point3 AS (x bigint, y integer, label text, w numeric);
COMMENT ON COLUMN point3.label IS 'a label';
CREATE TYPE reordered AS (b integer, a integer);
CREATE FUNCTION norm(p point3) RETURNS integer LANGUAGE sql AS 'SELECT (p.x + p.y)::integer';
