-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_view_reader');

CREATE TABLE sales (id integer, amount integer, region text);
CREATE VIEW big_sales AS SELECT id, amount FROM sales WHERE amount > 100;
CREATE VIEW by_region AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM sales;

GRANT SELECT ON big_sales TO grant_view_reader;
GRANT SELECT ON by_region TO grant_view_reader;
GRANT SELECT ON totals TO PUBLIC;
