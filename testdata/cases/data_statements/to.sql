-- Seed rows and a conditional DO block run only while the schema is loaded
-- into the scratch database; the plan changes structure.
CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz);

CREATE VIEW settings_view AS SELECT key, value FROM settings;

CREATE FUNCTION settings_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO settings (key, value) VALUES (NEW.key, NEW.value);
    RETURN NEW;
END
$$;

CREATE TRIGGER settings_view_insert INSTEAD OF INSERT ON settings_view
    FOR EACH ROW EXECUTE FUNCTION settings_view_insert();

INSERT INTO settings_view VALUES ('theme', 'light'), ('lang', 'en');
UPDATE settings SET updated_at = now();
DELETE FROM settings WHERE key = 'lang';

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
        CREATE TYPE mood AS ENUM ('ok', 'meh');
    END IF;
END
$$;
