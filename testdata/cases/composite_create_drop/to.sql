CREATE TYPE address AS (street text, city varchar(40) COLLATE "C", zip integer);
COMMENT ON TYPE address IS 'postal address';
COMMENT ON COLUMN address.zip IS 'postal code';
