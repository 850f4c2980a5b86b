-- Casts are dropped before their functions and types.
CREATE TYPE cents AS (amount bigint);
CREATE TYPE label AS ENUM ('low', 'high');
CREATE FUNCTION cents_to_numeric(cents) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).amount / 100.0 $$;
CREATE CAST (cents AS numeric) WITH FUNCTION cents_to_numeric(cents) AS ASSIGNMENT;
COMMENT ON CAST (cents AS numeric) IS 'cents to currency units';
CREATE CAST (label AS integer) WITH INOUT;
CREATE TABLE prices (id integer PRIMARY KEY, price cents);
CREATE VIEW price_units AS SELECT id, price::numeric AS units FROM prices;
