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
CREATE TABLE events (id integer, payload text);

-- added privilege
GRANT SELECT, INSERT ON items TO grant_reader;
-- grant option removed from SELECT, kept on INSERT, UPDATE revoked
GRANT SELECT ON items TO "GrantAdmin";
GRANT INSERT ON items TO "GrantAdmin" WITH GRANT OPTION;
-- PUBLIC and the quoted role lose theirs, another role gains one
GRANT SELECT ON logs TO grant_reader;
-- new table with privileges
GRANT ALL ON events TO "grant ""quoted"" user";
GRANT SELECT ON events TO PUBLIC;
GRANT REFERENCES, TRIGGER ON events TO "GrantAdmin" WITH GRANT OPTION;
