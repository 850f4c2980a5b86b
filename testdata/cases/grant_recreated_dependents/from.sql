-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_dep_one');
SELECT pg_temp.ensure_role('grant_dep_two');

CREATE TYPE pair AS (a integer, b integer);
CREATE FUNCTION pair_sum(p pair) RETURNS integer LANGUAGE sql AS 'SELECT (p).a + (p).b';
CREATE FUNCTION pair_max(p pair) RETURNS integer LANGUAGE sql AS 'SELECT greatest((p).a, (p).b)';
CREATE TABLE pairs (id integer, x integer, y integer);
CREATE VIEW pair_view AS SELECT id, ROW(x, y)::pair AS p FROM pairs;
ALTER TABLE pairs ENABLE ROW LEVEL SECURITY;
CREATE POLICY positive_sum ON pairs USING (pair_sum(ROW(x, y)::pair) > 0);

REVOKE USAGE ON TYPE pair FROM PUBLIC;
GRANT USAGE ON TYPE pair TO grant_dep_one;
REVOKE EXECUTE ON FUNCTION pair_sum(pair) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pair_sum(pair) TO grant_dep_one;
GRANT EXECUTE ON FUNCTION pair_max(pair) TO grant_dep_one;
GRANT SELECT ON pair_view TO grant_dep_one;
