CREATE SCHEMA s;
CREATE TYPE s.e AS ENUM ('a', 'b');
CREATE SEQUENCE s.seq;
CREATE TABLE s.parent (id int PRIMARY KEY, e s.e, n int DEFAULT nextval('s.seq'));
CREATE TABLE s.child (id int PRIMARY KEY, p int REFERENCES s.parent(id));
CREATE INDEX ON s.child (p);
