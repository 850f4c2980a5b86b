CREATE TABLE notes (id int PRIMARY KEY, body text, owner name NOT NULL DEFAULT current_user);
CREATE FUNCTION notes_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.body := trim(NEW.body); RETURN NEW; END $$;
CREATE TRIGGER notes_touch BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_touch();
CREATE TRIGGER notes_gone BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION notes_touch();
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON notes USING (owner = current_user);
CREATE POLICY gone ON notes FOR DELETE USING (false);
INSERT INTO notes (id, body) VALUES (1, ' hello ');
