CREATE TABLE orders (id integer, amount numeric);
CREATE FUNCTION fmt_amount(a numeric, currency text DEFAULT 'EUR') RETURNS varchar LANGUAGE sql IMMUTABLE
  AS $$ SELECT a::text || ' ' || currency $$;
CREATE VIEW order_labels AS SELECT id, fmt_amount(amount) AS label FROM orders;
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE FUNCTION big_order_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM big_orders $$;
CREATE FUNCTION big_order_ids() RETURNS SETOF big_orders LANGUAGE sql STABLE AS $$ SELECT * FROM big_orders $$;
