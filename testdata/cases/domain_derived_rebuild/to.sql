CREATE DOMAIN code AS varchar(6);
CREATE DOMAIN short_code AS code CHECK (length(VALUE) < 4);
CREATE TYPE pair AS (a code, b integer, c text);
CREATE TABLE t (c code, s short_code);
CREATE FUNCTION f(x short_code) RETURNS integer LANGUAGE sql AS 'SELECT 1';
