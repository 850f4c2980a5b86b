CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), amount numeric(10,2) NOT NULL, note text);
CREATE TABLE invoices (id int PRIMARY KEY, order_id int REFERENCES orders (id), total numeric(10,2));
CREATE TABLE audit (id int PRIMARY KEY, what text);
CREATE PUBLICATION billing FOR TABLE customers (id, name), orders WHERE (amount > 100), audit
    WITH (publish = 'insert, update');
COMMENT ON PUBLICATION billing IS 'billing replica';
CREATE PUBLICATION everything FOR TABLE orders, invoices;
