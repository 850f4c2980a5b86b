-- Dropping a (or t.id) drops its sequence: the defaults using it go first.
CREATE TABLE b (id integer, v text);
CREATE TABLE t (n integer, v text);
