CREATE TABLE items (id integer PRIMARY KEY, price numeric NOT NULL);
CREATE FUNCTION total() RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT sum(price) FROM items $$;
COMMENT ON FUNCTION total() IS 'sum of prices';
CREATE FUNCTION label(x integer) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN x::text; END $$;
CREATE FUNCTION vol(x integer) RETURNS integer LANGUAGE sql VOLATILE AS $$ SELECT x $$;
