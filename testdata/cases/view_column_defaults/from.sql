CREATE TABLE orders (id int, status text, source text);
CREATE VIEW open_orders AS SELECT id, status, source FROM orders WHERE status = 'open';
ALTER VIEW open_orders ALTER COLUMN status SET DEFAULT 'open';
ALTER VIEW open_orders ALTER COLUMN source SET DEFAULT 'web';
