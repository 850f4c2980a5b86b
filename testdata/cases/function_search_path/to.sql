-- The body names t without a schema; the file set search_path to app, the
-- migration does not, so the function is created without the body check.
CREATE SCHEMA app;
SET search_path = app;
CREATE TABLE t (id int);
CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM t';
