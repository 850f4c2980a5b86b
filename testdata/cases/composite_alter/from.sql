CREATE TYPE point3 AS (x integer, y integer, z integer, tag text);
CREATE TYPE reordered AS (a integer, b integer);
CREATE FUNCTION norm(p point3) RETURNS integer LANGUAGE sql AS 'SELECT p.x + p.y';
