CREATE SEQUENCE sku_seq;
CREATE FUNCTION sku_prefix(kind text DEFAULT 'SKU') RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT kind$$;
CREATE FUNCTION next_sku(prefix text DEFAULT 'SKU') RETURNS text LANGUAGE sql AS $$SELECT prefix || '-' || nextval('sku_seq')$$;
CREATE TABLE products (
    id int PRIMARY KEY,
    sku text NOT NULL DEFAULT upper(next_sku()) CONSTRAINT products_sku_check CHECK (upper(sku) LIKE sku_prefix() || '-%'),
    CONSTRAINT products_prefix_check CHECK (sku_prefix() <> '')
);
CREATE VIEW product_prefix AS SELECT sku_prefix() AS prefix, next_sku() IS NOT NULL AS ok;
