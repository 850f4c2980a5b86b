-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_fn_caller');
SELECT pg_temp.ensure_role('Grant Fn Admin');

CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1';
CREATE FUNCTION secret() RETURNS text LANGUAGE sql AS $$SELECT 'hidden'$$;
-- the result type changes: dropped and created again, with its privileges
CREATE FUNCTION widen(x integer) RETURNS bigint LANGUAGE sql AS 'SELECT x::bigint';
CREATE PROCEDURE cleanup(days integer) LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION fresh(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b';

REVOKE EXECUTE ON FUNCTION add_one(integer) FROM grant_fn_caller;
REVOKE ALL ON FUNCTION secret() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION secret() TO "Grant Fn Admin";
REVOKE EXECUTE ON FUNCTION widen(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION widen(integer) TO "Grant Fn Admin" WITH GRANT OPTION;
REVOKE EXECUTE ON PROCEDURE cleanup(integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE cleanup(integer) TO grant_fn_caller;
REVOKE EXECUTE ON FUNCTION fresh(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fresh(text, text) TO grant_fn_caller;
