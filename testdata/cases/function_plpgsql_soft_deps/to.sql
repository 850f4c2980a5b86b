-- A PL/pgSQL function reading the table whose default calls it, and two
-- mutually recursive PL/pgSQL functions: neither forms a cycle.
CREATE FUNCTION next_id() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT coalesce(max(id), 0) + 1 FROM docs);
END
$$;
CREATE TABLE docs (id integer DEFAULT next_id(), body text);
CREATE FUNCTION is_even(n integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF n = 0 THEN RETURN true; END IF;
  RETURN is_odd(n - 1);
END
$$;
CREATE FUNCTION is_odd(n integer) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  d docs%ROWTYPE;
BEGIN
  IF n = 0 THEN RETURN false; END IF;
  RETURN is_even(n - 1);
END
$$;
CREATE TABLE unrelated (x integer);
