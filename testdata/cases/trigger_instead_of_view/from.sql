CREATE TABLE people (id integer PRIMARY KEY, name text);
CREATE VIEW people_v AS SELECT id, name FROM people;
