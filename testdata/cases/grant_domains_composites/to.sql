-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_dom_user');

CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
-- the base type changes: the domain is rebuilt and gets its privileges again
CREATE DOMAIN code AS text;
CREATE TYPE pair AS (a integer, b integer);
CREATE TYPE triple AS (a integer, b integer, c integer);

REVOKE USAGE ON DOMAIN positive FROM PUBLIC;
GRANT USAGE ON DOMAIN positive TO grant_dom_user WITH GRANT OPTION;
REVOKE USAGE ON DOMAIN code FROM PUBLIC;
GRANT USAGE ON DOMAIN code TO grant_dom_user;
GRANT USAGE ON TYPE pair TO grant_dom_user;
REVOKE USAGE ON TYPE triple FROM PUBLIC;
