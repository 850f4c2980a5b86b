CREATE FUNCTION area(r double precision) RETURNS double precision LANGUAGE sql AS $$ SELECT pi() * r * r $$;
CREATE FUNCTION area(w integer, h integer) RETURNS integer LANGUAGE sql AS $$ SELECT w * h + 0 $$;
CREATE FUNCTION area(w integer, h integer, d integer) RETURNS integer LANGUAGE sql AS $$ SELECT area(w, h) * d $$;
CREATE FUNCTION area(p point[]) RETURNS double precision LANGUAGE sql AS $$ SELECT 0::float8 $$;
COMMENT ON FUNCTION area(integer, integer, integer) IS 'volume, really';
