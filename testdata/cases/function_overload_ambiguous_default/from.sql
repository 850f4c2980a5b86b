-- next_sku() and sku_prefix() are replaced by overloads whose argument has a
-- default, called the same way by a column default and a check: while both
-- overloads exist the call is ambiguous, so the old one (with what calls it)
-- goes before the new one is created. Down is the same the other way round.
CREATE SEQUENCE sku_seq;
CREATE FUNCTION sku_prefix() RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT 'SKU'$$;
CREATE FUNCTION next_sku() RETURNS text LANGUAGE sql AS $$SELECT 'SKU-' || nextval('sku_seq')$$;
CREATE TABLE products (
    id int PRIMARY KEY,
    sku text NOT NULL DEFAULT next_sku() CONSTRAINT products_sku_check CHECK (sku LIKE sku_prefix() || '-%'),
    CONSTRAINT products_prefix_check CHECK (sku_prefix() <> '')
);
CREATE VIEW product_prefix AS SELECT sku_prefix() AS prefix, next_sku() IS NOT NULL AS ok;
