CREATE TYPE status AS ENUM ('active', 'done');
CREATE SEQUENCE old_seq;
CREATE TABLE customers (
    id int PRIMARY KEY,
    email text NOT NULL,
    state status DEFAULT 'done',
    CONSTRAINT customers_email_check CHECK (email <> '')
);
CREATE INDEX customers_email_idx ON customers (email);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id));
