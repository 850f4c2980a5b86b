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
CREATE FUNCTION widen(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x';
CREATE PROCEDURE cleanup(days integer) LANGUAGE sql AS 'SELECT 1';

GRANT EXECUTE ON FUNCTION add_one(integer) TO grant_fn_caller;
REVOKE EXECUTE ON FUNCTION widen(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION widen(integer) TO "Grant Fn Admin" WITH GRANT OPTION;
