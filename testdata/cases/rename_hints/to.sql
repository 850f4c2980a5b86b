CREATE TYPE status AS ENUM (
    'active',
    -- schemadiff:renamed-from done
    'finished'
);
-- schemadiff:renamed-from old_seq
CREATE SEQUENCE "New Seq";
-- schemadiff:renamed-from customers
CREATE TABLE clients (
    id int PRIMARY KEY,
    -- schemadiff:renamed-from email
    email_address text NOT NULL,
    state status DEFAULT 'finished',
    -- schemadiff:renamed-from customers_email_check
    CONSTRAINT email_not_empty CHECK (email_address <> '')
);
-- schemadiff:renamed-from customers_email_idx
CREATE INDEX clients_email_idx ON clients (email_address);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES clients (id));
