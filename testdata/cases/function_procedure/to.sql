CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, kind text);
CREATE PROCEDURE record(k text, INOUT n integer DEFAULT NULL) LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO events (kind) VALUES (k);
  n := 1;
END
$$;
COMMENT ON PROCEDURE record(text, integer) IS 'records an event';
CREATE PROCEDURE purge() LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN DELETE FROM events WHERE kind IS NULL; COMMIT; END $$;
CREATE PROCEDURE swap(a integer) LANGUAGE sql AS $$ SELECT a $$;
