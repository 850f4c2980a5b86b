-- A cast's function and context change (drop and create, there is no
-- ALTER CAST), another's comment changes, and a cast whose function is
-- dropped and created again (its result type changes) is recreated around it.
CREATE TYPE cents AS (amount bigint);
CREATE FUNCTION cents_to_numeric(cents) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).amount / 100.0 $$;
CREATE FUNCTION cents_to_numeric_rounded(cents) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT round(($1).amount / 100.0) $$;
CREATE CAST (cents AS numeric) WITH FUNCTION cents_to_numeric(cents);
CREATE FUNCTION cents_to_text(cents) RETURNS varchar
    LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).amount::text $$;
CREATE CAST (cents AS text) WITH FUNCTION cents_to_text(cents);
CREATE TYPE label AS ENUM ('low', 'high');
CREATE CAST (label AS integer) WITH INOUT;
COMMENT ON CAST (label AS integer) IS 'by name';
