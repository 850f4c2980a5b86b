CREATE FUNCTION f(a integer, b integer DEFAULT 0) RETURNS int LANGUAGE sql AS $$SELECT a + b$$;
CREATE VIEW v AS SELECT f(1) AS a, 2 AS b;
CREATE TABLE t (x int DEFAULT f(2) + 1, CHECK (x <> f(4)));
CREATE FUNCTION g(a integer, b integer) RETURNS int LANGUAGE sql AS $$SELECT a$$;
CREATE TABLE u (x int DEFAULT g(1, 2) + 0);
