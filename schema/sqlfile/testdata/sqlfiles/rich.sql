-- A schema in dump order, used shuffled by TestOrderStatementsShuffled.
SET statement_timeout = 0;
SET check_function_bodies = true;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA app;
CREATE SCHEMA "Reporting";
CREATE TYPE app.mood AS ENUM ('ok', 'sad');
CREATE DOMAIN app.email AS text CHECK (VALUE ~ '@');
CREATE TYPE app.pair AS (a int, b app.mood);
CREATE SEQUENCE app.invoice_no START 1000;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TABLE app.customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email app.email NOT NULL UNIQUE,
    mood app.mood DEFAULT 'ok',
    updated_at timestamptz
);
CREATE FUNCTION app.customer_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM app.customers $$;
CREATE TABLE app.orders (
    id bigserial,
    customer_id uuid NOT NULL,
    invoice int DEFAULT nextval('app.invoice_no'::regclass),
    total numeric(10,2) CHECK (total >= 0),
    pair app.pair,
    created date NOT NULL DEFAULT current_date,
    PRIMARY KEY (id, created)
) PARTITION BY RANGE (created);
CREATE TABLE app.orders_2024 PARTITION OF app.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE app.orders_2025 (LIKE app.orders INCLUDING ALL);
ALTER TABLE app.orders ATTACH PARTITION app.orders_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE app.customers ADD COLUMN nickname text;
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES app.customers(id);
ALTER SEQUENCE app.invoice_no OWNED BY app.orders.invoice;
CREATE INDEX customers_nick_idx ON app.customers (lower(nickname));
CREATE TRIGGER customers_touch BEFORE UPDATE ON app.customers FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE VIEW "Reporting"."Big Orders" AS SELECT o.id, c.email FROM app.orders o JOIN app.customers c ON c.id = o.customer_id WHERE o.total > 100;
CREATE MATERIALIZED VIEW "Reporting".mood_counts AS SELECT mood, count(*) FROM app.customers GROUP BY mood;
CREATE FUNCTION app.big_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM "Reporting"."Big Orders"; END;
ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON app.customers USING (email::text = current_user);
COMMENT ON TABLE app.customers IS 'customers';
COMMENT ON COLUMN app.customers.nickname IS 'nick';
COMMENT ON VIEW "Reporting"."Big Orders" IS 'big';
COMMENT ON FUNCTION app.customer_count() IS 'count';
COMMENT ON TRIGGER customers_touch ON app.customers IS 'touch';
COMMENT ON INDEX app.customers_nick_idx IS 'idx';
GRANT USAGE ON SCHEMA app TO reader;
GRANT SELECT ON app.customers, "Reporting"."Big Orders" TO reader;
GRANT EXECUTE ON FUNCTION app.customer_count() TO reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO reader;
CREATE TABLE "Ünïcode Table" ("Col A" app.mood, c uuid REFERENCES app.customers);
