CREATE TABLE t (id int PRIMARY KEY, other int, old_col text);
