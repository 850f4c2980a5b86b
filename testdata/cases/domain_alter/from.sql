CREATE FUNCTION is_even(i integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT i % 2 = 0';
CREATE DOMAIN qty AS integer DEFAULT 0 CONSTRAINT qty_positive CHECK (VALUE >= 0)
    CONSTRAINT qty_even CHECK (is_even(VALUE));
CREATE DOMAIN label AS varchar(20) NOT NULL CONSTRAINT label_short CHECK (length(VALUE) < 10);
ALTER DOMAIN label ADD CONSTRAINT label_upper CHECK (VALUE = upper(VALUE)) NOT VALID;
COMMENT ON DOMAIN label IS 'old comment';
CREATE TABLE items (id integer, n qty, l label);
