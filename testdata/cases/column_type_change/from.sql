CREATE TABLE t (id int PRIMARY KEY, code text DEFAULT '1', price numeric(10,2), label varchar(10), flag int);
