CREATE TABLE base (id int, created timestamptz, note text);
CREATE TABLE child (more int) INHERITS (base);
CREATE TABLE loner (id int, created timestamptz, note text);
CREATE TABLE other_child (x int) INHERITS (base);
