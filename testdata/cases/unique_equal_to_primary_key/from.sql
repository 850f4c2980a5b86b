-- Tables the Down plan creates again: a UNIQUE on the primary key's columns,
-- and a table that stays.
CREATE TABLE kept (id int);
CREATE TABLE person (id int PRIMARY KEY, name text);
ALTER TABLE person ADD CONSTRAINT person_id_key UNIQUE (id);
ALTER TABLE person ADD CONSTRAINT person_name_key UNIQUE (name);
ALTER TABLE person ADD CONSTRAINT person_name_again UNIQUE (name);
