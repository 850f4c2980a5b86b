-- Every kind of object a rename hint can name.

-- schemadiff:renamed-from customers
CREATE TABLE clients (
    id int PRIMARY KEY,
    -- schemadiff:renamed-from email
    email_address text NOT NULL,
    total numeric,
    -- schemadiff:renamed-from orders_total_check
    CONSTRAINT positive_total CHECK (total > 0)
);
-- schemadiff:renamed-from customers_email_idx
CREATE INDEX clients_email_idx ON clients (email_address);
CREATE TYPE status AS ENUM (
    'active',
    -- schemadiff:renamed-from "done"
    'finished'
);
-- schemadiff:renamed-from "Old Name"
CREATE SEQUENCE new_seq;

-- schemadiff:renamed-from old_app
CREATE SCHEMA app;

-- schemadiff:renamed-from Mood
CREATE TYPE app.feeling AS ENUM ('ok');

-- schemadiff:renamed-from client_names
CREATE VIEW app.names AS SELECT email_address FROM public.clients;

-- schemadiff:renamed-from totals
CREATE MATERIALIZED VIEW app.sums AS SELECT sum(total) AS s FROM public.clients;

CREATE TABLE app.items (
    -- schemadiff:renamed-from label
    name text CONSTRAINT name_present CHECK (name <> ''),
    qty int
        -- schemadiff:renamed-from qty_positive
        CONSTRAINT qty_ok CHECK (qty > 0)
);

-- schemadiff:renamed-from legacy_items
CREATE TABLE app.items_copy AS SELECT * FROM app.items;

-- Constraints and columns added by ALTER TABLE, as pg_dump writes them.
-- schemadiff:renamed-from items_pkey_old
ALTER TABLE ONLY app.items
    ADD CONSTRAINT items_pkey PRIMARY KEY (name);

ALTER TABLE app.items
    -- schemadiff:renamed-from note
    ADD COLUMN IF NOT EXISTS remark text,
    ADD COLUMN
        -- schemadiff:renamed-from weight
        mass numeric,
    -- schemadiff:renamed-from mass_check
    ADD CONSTRAINT mass_positive CHECK (mass > 0);

-- A type called enum, with labels that need care.
CREATE TYPE enum AS ENUM (
    -- schemadiff:renamed-from 'it''s'
    'it is',
    -- schemadiff:renamed-from Bare
    'plain'
);

CREATE SCHEMA billing
    -- schemadiff:renamed-from bills
    CREATE TABLE invoices (
        -- schemadiff:renamed-from amount
        total numeric
    )
    -- schemadiff:renamed-from bills_total_idx
    CREATE INDEX invoices_total_idx ON invoices (total)
    CREATE VIEW open_invoices AS SELECT * FROM invoices;
