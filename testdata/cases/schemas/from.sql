CREATE SCHEMA old_ns;
CREATE TABLE old_ns.t (id int);
