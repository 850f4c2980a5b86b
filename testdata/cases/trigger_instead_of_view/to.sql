CREATE TABLE people (id integer PRIMARY KEY, name text);
CREATE VIEW people_v AS SELECT id, name FROM people;
CREATE FUNCTION people_v_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO people VALUES (NEW.id, NEW.name);
  RETURN NEW;
END
$$;
CREATE TRIGGER people_v_ins INSTEAD OF INSERT ON people_v FOR EACH ROW EXECUTE FUNCTION people_v_insert();
COMMENT ON TRIGGER people_v_ins ON people_v IS 'writes through';
