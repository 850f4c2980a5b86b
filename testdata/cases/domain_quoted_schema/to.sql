CREATE SCHEMA "Billing Data";
CREATE DOMAIN "Billing Data"."Money Amount" AS numeric(12,2) CONSTRAINT "Non Negative" CHECK (VALUE >= 0);
CREATE DOMAIN "Billing Data".codes AS "Billing Data"."Money Amount"[];
CREATE TABLE "Billing Data"."Invoice" (id integer, "Total" "Billing Data"."Money Amount" DEFAULT 0, extras "Billing Data"."Money Amount"[]);
CREATE VIEW "Billing Data".totals AS SELECT id, "Total" FROM "Billing Data"."Invoice";
