CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), amount numeric(10,2) NOT NULL, note text);
CREATE TABLE invoices (id int PRIMARY KEY, order_id int REFERENCES orders (id), total numeric(10,2));
CREATE TABLE audit (id int PRIMARY KEY, what text);
-- customers publishes email too, orders a higher threshold, audit leaves,
-- invoices joins; deletes are published and the comment changes
CREATE PUBLICATION billing FOR TABLE customers (id, name, email), orders WHERE (amount > 1000), invoices
    WITH (publish = 'insert, update, delete', publish_via_partition_root = true);
COMMENT ON PUBLICATION billing IS 'billing replica, with deletes';
-- the row filter is new; the comment too
CREATE PUBLICATION everything FOR TABLE orders WHERE (customer_id IS NOT NULL), invoices;
COMMENT ON PUBLICATION everything IS 'all orders with a customer';
