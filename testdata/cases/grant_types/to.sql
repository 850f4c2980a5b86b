-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_type_user');

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE status AS ENUM ('new', 'archived');
CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE t (m mood, s status, c color);

REVOKE USAGE ON TYPE mood FROM PUBLIC;
GRANT USAGE ON TYPE mood TO grant_type_user;
REVOKE USAGE ON TYPE status FROM PUBLIC;
GRANT USAGE ON TYPE status TO grant_type_user;
-- a new type without the default USAGE for PUBLIC
REVOKE ALL ON TYPE color FROM PUBLIC;
GRANT USAGE ON TYPE color TO grant_type_user;
