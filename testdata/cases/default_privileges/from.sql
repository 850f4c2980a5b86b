-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('adp_reader');
SELECT pg_temp.ensure_role('AdpWriter');
SELECT pg_temp.ensure_role('adp auditor');

CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO adp_reader;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO "AdpWriter";

CREATE TABLE app.orders (id int PRIMARY KEY);
CREATE FUNCTION app.answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;
