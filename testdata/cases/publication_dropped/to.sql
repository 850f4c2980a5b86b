-- billing goes; legacy_orders goes and leaves archive first
CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2) NOT NULL);
CREATE PUBLICATION archive FOR TABLE orders WITH (publish = 'insert');
