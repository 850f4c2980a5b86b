CREATE FUNCTION check_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE TABLE products (
    id serial PRIMARY KEY,
    price int NOT NULL CHECK (price >= 0),
    doubled int GENERATED ALWAYS AS (price * 2) STORED
);
CREATE INDEX products_price_plus_idx ON products ((price + 1));
CREATE STATISTICS products_stats ON id, price FROM products;
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
CREATE POLICY cheap ON products USING (price < 100);
CREATE TRIGGER products_price BEFORE UPDATE OF price ON products
    FOR EACH ROW WHEN (NEW.price IS DISTINCT FROM OLD.price) EXECUTE FUNCTION check_price();
