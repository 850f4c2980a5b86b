CREATE TABLE t (id int PRIMARY KEY, a int, b text, c jsonb, d timestamptz);
CREATE INDEX t_a_idx ON t (a);
CREATE INDEX t_gone_idx ON t (b);
