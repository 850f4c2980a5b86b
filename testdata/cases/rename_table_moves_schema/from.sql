CREATE SCHEMA shop;
CREATE SCHEMA archive;
CREATE TABLE shop.purchases (
    id serial PRIMARY KEY,
    amount numeric NOT NULL CHECK (amount > 0)
);
CREATE INDEX purchases_amount_idx ON shop.purchases (amount);
CREATE TABLE shop.stays (id int PRIMARY KEY);
CREATE TABLE public.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text);
CREATE TABLE public.refs (purchase_id int REFERENCES shop.purchases (id), event_id bigint REFERENCES public.events (id));
GRANT SELECT ON shop.purchases TO PUBLIC;
GRANT USAGE ON SEQUENCE shop.purchases_id_seq TO PUBLIC;
