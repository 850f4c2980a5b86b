-- The views' conditions read the same once the nesting of AND/OR is
-- flattened, as pg_get_viewdef's pretty form prints them; their trees differ.
CREATE TABLE t (a int, b int);
CREATE VIEW filtered AS SELECT a, b FROM t WHERE a > 0 AND b >= 1 AND b <= 3;
CREATE MATERIALIZED VIEW summed AS SELECT a, b FROM t WHERE (a > 0 OR b > 0) OR b IS NULL;
-- Created again by Down.
CREATE VIEW only_before AS SELECT a FROM t WHERE a > 1 AND (b > 1 AND (a < 9 OR (b < 9 OR a = b)));
