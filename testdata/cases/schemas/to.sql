CREATE SCHEMA billing;
CREATE SCHEMA "Audit Log";
CREATE TABLE billing.invoices (id int PRIMARY KEY, customer text);
CREATE TABLE "Audit Log"."Entries" (id int PRIMARY KEY, invoice_id int REFERENCES billing.invoices(id));
