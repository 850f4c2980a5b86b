CREATE FUNCTION area(r double precision) RETURNS double precision LANGUAGE sql AS $$ SELECT pi() * r * r $$;
CREATE FUNCTION area(w integer, h integer) RETURNS integer LANGUAGE sql AS $$ SELECT w * h $$;
CREATE FUNCTION area(s text) RETURNS text LANGUAGE sql AS $$ SELECT s $$;
