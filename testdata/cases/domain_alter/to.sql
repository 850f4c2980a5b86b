CREATE DOMAIN qty AS integer NOT NULL CONSTRAINT qty_positive CHECK (VALUE > -1)
    CONSTRAINT qty_small CHECK (VALUE < 1000);
COMMENT ON CONSTRAINT qty_small ON DOMAIN qty IS 'upper bound';
CREATE DOMAIN label AS varchar(20) DEFAULT 'X' CONSTRAINT label_upper CHECK (VALUE = upper(VALUE));
ALTER DOMAIN label ADD CONSTRAINT label_nonempty CHECK (VALUE <> '') NOT VALID;
CREATE TABLE items (id integer, n qty, l label);
