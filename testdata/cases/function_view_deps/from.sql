CREATE TABLE orders (id integer, amount numeric);
CREATE FUNCTION fmt_amount(a numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT a::text $$;
CREATE VIEW order_labels AS SELECT id, fmt_amount(amount) AS label FROM orders;
