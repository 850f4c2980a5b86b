CREATE TABLE t (a int, b int, total int, plain int, doubled int GENERATED ALWAYS AS (a * 2) STORED);
