CREATE TABLE t (a int, b int, c int, CONSTRAINT t_a_key UNIQUE (a), CONSTRAINT pos CHECK (a > 0));
