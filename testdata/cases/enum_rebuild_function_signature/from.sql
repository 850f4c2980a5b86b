CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad');
CREATE FUNCTION is_happy(m mood) RETURNS bool LANGUAGE sql IMMUTABLE AS $$ SELECT m = 'happy' $$;
CREATE FUNCTION default_mood() RETURNS mood LANGUAGE sql AS $$ SELECT 'meh'::mood $$;
CREATE TABLE people (id int, m mood DEFAULT 'meh');
CREATE VIEW happy_people AS SELECT id FROM people WHERE is_happy(m);
