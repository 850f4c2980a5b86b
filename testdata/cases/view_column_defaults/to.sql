-- Defaults of view columns (used by INSERTs through the view) change, go and
-- come; the recreated view gets them back.
CREATE TABLE orders (id int, status text, source text, note text);
CREATE VIEW open_orders AS SELECT id, status, source FROM orders WHERE status = 'open';
ALTER VIEW open_orders ALTER COLUMN status SET DEFAULT 'open';
ALTER VIEW open_orders ALTER COLUMN id SET DEFAULT 0;
CREATE VIEW noted AS SELECT id, note FROM orders;
ALTER VIEW noted ALTER COLUMN note SET DEFAULT 'none';
