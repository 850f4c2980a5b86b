CREATE DOMAIN code AS varchar(5);
CREATE DOMAIN short_code AS code CHECK (length(VALUE) < 4);
CREATE TYPE pair AS (a code, b integer);
CREATE TABLE t (c code, s short_code);
CREATE FUNCTION f(x short_code) RETURNS integer LANGUAGE sql AS 'SELECT 1';
