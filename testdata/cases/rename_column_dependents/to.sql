-- A renamed column: the generated column, expression index, statistics,
-- policy and trigger that use it follow it instead of being rebuilt, and
-- the check named after it takes the name derived from the new one.
CREATE FUNCTION check_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE TABLE products (
    id serial PRIMARY KEY,
    -- schemadiff:renamed-from price
    cost int NOT NULL CHECK (cost >= 0),
    doubled int GENERATED ALWAYS AS (cost * 2) STORED
);
CREATE INDEX products_price_plus_idx ON products ((cost + 1));
CREATE STATISTICS products_stats ON id, cost FROM products;
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
CREATE POLICY cheap ON products USING (cost < 100);
CREATE TRIGGER products_price BEFORE UPDATE OF cost ON products
    FOR EACH ROW WHEN (NEW.cost IS DISTINCT FROM OLD.cost) EXECUTE FUNCTION check_price();
