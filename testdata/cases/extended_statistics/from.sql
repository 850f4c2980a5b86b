CREATE SCHEMA stats;
CREATE TABLE orders (id int PRIMARY KEY, city text, zip text, country text, amount int);
CREATE STATISTICS stats.orders_geo (ndistinct) ON city, zip FROM orders;
CREATE STATISTICS orders_gone ON city, country FROM orders;
CREATE STATISTICS orders_amount ON zip, amount FROM orders;

CREATE TABLE "Line Items" (id int, sku text, qty int);
CREATE STATISTICS "Line Items stats" ON sku, qty FROM "Line Items";
