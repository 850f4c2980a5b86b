CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id int PRIMARY KEY,
    customer_id int REFERENCES customers (id),
    amount numeric(10,2) NOT NULL,
    note text
);
