-- Range types: created with options, commented, granted, dropped; one no
-- column uses changes its definition and is created again.
CREATE TYPE floatrange AS RANGE (SUBTYPE = float8);
COMMENT ON TYPE floatrange IS 'no subtype_diff any more';
CREATE TYPE "Price Band" AS RANGE (SUBTYPE = numeric);
COMMENT ON TYPE "Price Band" IS 'from-to prices';
REVOKE USAGE ON TYPE "Price Band" FROM PUBLIC;
CREATE TYPE textspan AS RANGE (SUBTYPE = text, COLLATION = "C", MULTIRANGE_TYPE_NAME = textspans);
CREATE TABLE offers (id int PRIMARY KEY, band "Price Band", valid daterange, words textspan, prices floatrange[]);
CREATE FUNCTION band_width(b "Price Band") RETURNS numeric LANGUAGE sql AS $$ SELECT upper(b) - lower(b) $$;
CREATE FUNCTION float_mid(r floatrange) RETURNS float8 LANGUAGE sql AS $$ SELECT (upper(r) + lower(r)) / 2 $$;
