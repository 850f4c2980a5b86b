CREATE COLLATION c1 (locale = 'C');
CREATE DOMAIN dc AS text COLLATE c1 DEFAULT 'a';
CREATE TYPE tagged AS (label text COLLATE c1, n integer);
CREATE TABLE t (a text COLLATE c1, b text, d dc);
CREATE INDEX t_b ON t (b COLLATE c1);
CREATE VIEW tv AS SELECT a, d FROM t;
