CREATE TABLE t (a int, b int, total int, doubled int GENERATED ALWAYS AS (a * 2) STORED);
