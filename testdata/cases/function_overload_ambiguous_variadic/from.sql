-- f(integer) gains an argument with a default and g(VARIADIC integer[]) becomes
-- g(integer, integer): the calls in a view, defaults and checks would match
-- both overloads, so the old ones are dropped before the new ones exist.
CREATE FUNCTION f(a integer) RETURNS int LANGUAGE sql AS $$SELECT a$$;
CREATE VIEW v AS SELECT f(1) AS a;
CREATE TABLE t (x int DEFAULT f(2), CHECK (x <> f(3)));
CREATE FUNCTION g(VARIADIC r integer[]) RETURNS int LANGUAGE sql AS $$SELECT r[1]$$;
CREATE TABLE u (x int DEFAULT g(1, 2));
