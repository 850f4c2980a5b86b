-- Tables move to another schema (a new one, and one that exists), one
-- renamed too, with their rows, sequences, grants and references.
CREATE SCHEMA shop;
CREATE SCHEMA archive;
CREATE SCHEMA finance;
-- schemadiff:renamed-from shop.purchases
CREATE TABLE finance.orders (
    id serial PRIMARY KEY,
    -- schemadiff:renamed-from amount
    total numeric NOT NULL CHECK (total > 0)
);
CREATE INDEX orders_total_idx ON finance.orders (total);
CREATE TABLE shop.stays (id int PRIMARY KEY);
-- schemadiff:renamed-from public.events
CREATE TABLE archive.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text);
CREATE TABLE public.refs (purchase_id int REFERENCES finance.orders (id), event_id bigint REFERENCES archive.events (id));
GRANT SELECT ON finance.orders TO PUBLIC;
GRANT USAGE ON SEQUENCE finance.orders_id_seq TO PUBLIC;
