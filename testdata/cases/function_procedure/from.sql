CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, kind text);
CREATE PROCEDURE record(k text) LANGUAGE sql AS $$ INSERT INTO events (kind) VALUES (k) $$;
CREATE PROCEDURE purge() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM events; END $$;
CREATE FUNCTION swap(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
