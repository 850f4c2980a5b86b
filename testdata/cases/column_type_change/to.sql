CREATE TABLE t (id bigint PRIMARY KEY, code integer DEFAULT 1, price numeric(12,2), label varchar(50), flag boolean);
