CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id int PRIMARY KEY,
    customer_id int REFERENCES customers (id),
    amount numeric(10,2) NOT NULL,
    note text
);
CREATE TABLE refunds (id int PRIMARY KEY, order_id int REFERENCES orders (id), amount numeric(10,2));
-- every change of customers; of orders, inserts of large orders without
-- their note; refunds is created by the plan
CREATE PUBLICATION billing FOR TABLE customers, orders (id, customer_id, amount) WHERE (amount > 100), refunds;
COMMENT ON PUBLICATION billing IS 'what the billing replica follows';
CREATE PUBLICATION inserts_only FOR TABLE orders WITH (publish = 'insert', publish_via_partition_root = true);
