-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_view_reader');

-- amount changes type: the views using it are dropped and created again,
-- and must get their privileges back
CREATE TABLE sales (id integer, amount bigint, region text);
CREATE VIEW big_sales AS SELECT id, amount FROM sales WHERE amount > 100;
CREATE VIEW by_region AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n, sum(amount) AS s FROM sales;
CREATE VIEW regions AS SELECT DISTINCT region FROM sales;

GRANT SELECT ON big_sales TO grant_view_reader;
GRANT SELECT, INSERT ON by_region TO grant_view_reader WITH GRANT OPTION;
GRANT SELECT ON totals TO PUBLIC;
GRANT SELECT ON totals TO grant_view_reader;
GRANT SELECT ON regions TO PUBLIC;
