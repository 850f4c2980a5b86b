-- Statistics objects change kind and columns, gain a target and a comment,
-- follow a column type change, and are created again when their table is
-- rebuilt for its column order.

CREATE SCHEMA stats;
CREATE TABLE orders (id int PRIMARY KEY, city text, zip text, country text, amount bigint);
CREATE STATISTICS stats.orders_geo (dependencies) ON city, zip, country FROM orders;
CREATE STATISTICS orders_amount ON zip, amount FROM orders;
ALTER STATISTICS orders_amount SET STATISTICS 500;
CREATE STATISTICS orders_expr ON (lower(city)), country FROM orders;
COMMENT ON STATISTICS orders_amount IS 'amount depends on the zip code';

CREATE TABLE "Line Items" (id int, "order" int, sku text, qty int);
CREATE STATISTICS "Line Items stats" ON sku, qty FROM "Line Items";
