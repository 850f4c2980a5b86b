CREATE TABLE items (id integer PRIMARY KEY, price numeric NOT NULL);
CREATE FUNCTION total() RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT coalesce(sum(price), 0) FROM items $$;
CREATE FUNCTION label(x integer) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'item ' || x::text; END $$;
COMMENT ON FUNCTION label(integer) IS 'labels an item';
CREATE FUNCTION vol(x integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10 AS $$ SELECT x $$;
