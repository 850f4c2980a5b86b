CREATE TABLE base (id int, created timestamptz);
CREATE TABLE child () INHERITS (base);
CREATE TABLE loner (id int, created timestamptz);
