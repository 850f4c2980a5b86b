-- title goes before body, so notes is rebuilt; in the same plan one trigger
-- and one policy change, and one of each goes.
CREATE TABLE notes (id int PRIMARY KEY, title text, body text, owner name NOT NULL DEFAULT current_user);
CREATE FUNCTION notes_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.body := trim(NEW.body); RETURN NEW; END $$;
CREATE TRIGGER notes_touch BEFORE INSERT OR UPDATE OF body ON notes FOR EACH ROW EXECUTE FUNCTION notes_touch();
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON notes FOR SELECT USING (owner = current_user);
CREATE POLICY fresh ON notes FOR INSERT WITH CHECK (owner = current_user);
