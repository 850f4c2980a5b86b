CREATE SCHEMA sales;
CREATE TABLE sales.invoices (id int PRIMARY KEY, customer text, total numeric(10,2));
CREATE TABLE sales.lines (invoice_id int REFERENCES sales.invoices (id), item text);
CREATE VIEW sales.big_invoices AS SELECT id, total FROM sales.invoices WHERE total > 100;
