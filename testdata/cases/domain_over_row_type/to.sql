-- A domain over a table's row type, and functions taking the row types of a
-- table and a view: each needs its relation first (and goes before it).
CREATE TABLE keep (id int);
CREATE TABLE z (a int, b text);
CREATE DOMAIN a_d AS z;
CREATE FUNCTION a_f(r z) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE VIEW y AS SELECT 1 AS x;
CREATE FUNCTION a_g(r y) RETURNS int LANGUAGE sql AS 'SELECT 1';
