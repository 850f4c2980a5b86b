-- The schema is renamed: its tables keep their rows.
-- schemadiff:renamed-from sales
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id int PRIMARY KEY, customer text, total numeric(10,2));
CREATE TABLE billing.lines (invoice_id int REFERENCES billing.invoices (id), item text);
CREATE VIEW billing.big_invoices AS SELECT id, total FROM billing.invoices WHERE total > 100;
