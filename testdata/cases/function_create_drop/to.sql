CREATE FUNCTION kept(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN a + b;
COMMENT ON FUNCTION add(integer, integer) IS 'adds two numbers';
CREATE FUNCTION greet(name text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN 'hello ' || name;
END
$$;
CREATE FUNCTION atomic_fn(x integer) RETURNS integer LANGUAGE sql
BEGIN ATOMIC
  SELECT kept(x) + add(x);
END;
CREATE FUNCTION pairs(n integer) RETURNS TABLE(i integer, sq integer) LANGUAGE sql
  AS $$ SELECT g, g * g FROM generate_series(1, n) g $$;
CREATE FUNCTION out_params(a integer, OUT doubled integer, OUT tripled integer)
  LANGUAGE sql AS $$ SELECT a * 2, a * 3 $$;
