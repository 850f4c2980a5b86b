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

-- Default privileges change, and objects created by the migration get what
-- this file gives them, whatever the defaults were when they were created.
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT, INSERT ON TABLES TO adp_reader WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON TYPES TO "AdpWriter";
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT EXECUTE ON FUNCTIONS TO "adp auditor";
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO adp_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE "AdpWriter" IN SCHEMA app GRANT SELECT ON TABLES TO adp_reader;

CREATE TABLE app.orders (id int PRIMARY KEY);
CREATE TABLE app.audit (id int);
REVOKE INSERT ON app.audit FROM adp_reader;
CREATE FUNCTION app.answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;
CREATE FUNCTION app.question() RETURNS text LANGUAGE sql AS $$ SELECT 'why' $$;
CREATE TYPE app.mood AS ENUM ('ok');
CREATE SCHEMA reports;
