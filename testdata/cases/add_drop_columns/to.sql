CREATE TABLE t (id int PRIMARY KEY, other int, new_col varchar(20) DEFAULT 'x' NOT NULL, matrix int[][]);
