-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_reader');
SELECT pg_temp.ensure_role('GrantAdmin');
SELECT pg_temp.ensure_role('grant "quoted" user');

CREATE TABLE items (id integer PRIMARY KEY, name text);
CREATE TABLE logs (id bigint, message text);

GRANT SELECT ON items TO grant_reader;
GRANT SELECT, INSERT, UPDATE ON items TO "GrantAdmin" WITH GRANT OPTION;
GRANT SELECT ON logs TO PUBLIC;
GRANT DELETE, TRUNCATE ON logs TO "grant ""quoted"" user";
