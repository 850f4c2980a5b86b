CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2) NOT NULL);
CREATE TABLE legacy_orders (id int PRIMARY KEY, amount numeric(10,2));
CREATE PUBLICATION billing FOR TABLE orders (id, amount) WHERE (amount > 0), legacy_orders;
COMMENT ON PUBLICATION billing IS 'dropped by the plan';
CREATE PUBLICATION archive FOR TABLE orders, legacy_orders WITH (publish = 'insert');
