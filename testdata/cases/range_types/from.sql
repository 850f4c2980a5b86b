CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
CREATE TYPE "Price Band" AS RANGE (SUBTYPE = numeric);
CREATE TYPE retired AS RANGE (SUBTYPE = date);
CREATE TABLE offers (id int PRIMARY KEY, band "Price Band", valid daterange);
CREATE FUNCTION band_width(b "Price Band") RETURNS numeric LANGUAGE sql AS $$ SELECT upper(b) - lower(b) $$;
