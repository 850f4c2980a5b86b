-- Schema files that hand objects to other roles, as pg_dump writes them:
-- PostgreSQL wants the new owner to have CREATE on the schema (and on the
-- database for a schema) unless a superuser runs the statement, which the
-- role loading schema files is not.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('app_owner');
SELECT pg_temp.ensure_role('app reader');

CREATE SCHEMA app;
ALTER SCHEMA app OWNER TO app_owner;
GRANT USAGE ON SCHEMA app TO "app reader";

CREATE TABLE public.items (id integer PRIMARY KEY, label text);
ALTER TABLE public.items OWNER TO app_owner;

CREATE TYPE app.mood AS ENUM ('ok', 'meh');
ALTER TYPE app.mood OWNER TO app_owner;

CREATE SEQUENCE app.tickets;
ALTER SEQUENCE app.tickets OWNER TO app_owner;

CREATE TABLE app.notes (id integer PRIMARY KEY, mood app.mood);
ALTER TABLE app.notes OWNER TO app_owner;

CREATE VIEW app.note_moods AS SELECT id, mood FROM app.notes;
ALTER VIEW app.note_moods OWNER TO app_owner;

CREATE FUNCTION app.note_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM app.notes $$;
ALTER FUNCTION app.note_count() OWNER TO app_owner;
